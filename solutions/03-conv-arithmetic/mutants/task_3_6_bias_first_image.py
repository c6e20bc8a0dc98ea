# Task 3.6: sums the bias gradient over positions but not over the batch
_backward_right = conv2d_backward


def conv2d_backward(G, x, w, stride=1, pad=0):
    dx, dw, _ = _backward_right(G, x, w, stride, pad)
    return dx, dw, G[0].sum(axis=(1, 2))
