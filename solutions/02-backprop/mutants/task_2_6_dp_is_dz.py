# Task 2.6: reads the lecture's arrow as an equality and returns p - y as the gradient with respect to p
def binary_cross_entropy(z, y):
    n = len(z)
    p = sigmoid(z)
    loss = np.mean(y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z))
    return float(loss), (p - y) / n, (p - y) / n
