# Task 1.6: one-sided (forward) differences, error O(h) instead of O(h^2)
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    f_x = f(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        grad[index] = (f(x) - f_x) / h
        x[index] = original
    return grad
