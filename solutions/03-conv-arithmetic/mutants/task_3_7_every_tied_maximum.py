# Task 3.7: routes each window's gradient to every position equal to its maximum (a mask), ties included
def max_pool2d_backward(G, x, k, stride):
    n, c, out_h, out_w = G.shape
    dx = np.zeros(x.shape)
    y = max_pool2d(x, k, stride)
    for i in range(out_h):
        for j in range(out_w):
            window = x[:, :, i * stride:i * stride + k, j * stride:j * stride + k]
            dx[:, :, i * stride:i * stride + k, j * stride:j * stride + k] += (window == y[:, :, i:i + 1, j:j + 1]) * G[:, :, i:i + 1, j:j + 1]
    return dx
