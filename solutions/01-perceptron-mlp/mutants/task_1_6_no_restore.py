# Task 1.6: centred, but never puts x[k] back, so later entries are measured at a shifted point
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        x[index] += h
        f_plus = f(x)
        x[index] -= 2 * h
        f_minus = f(x)
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad
