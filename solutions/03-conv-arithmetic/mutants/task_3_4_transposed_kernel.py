# Task 3.4: indexes the filter as w[f, c, v, u] (rows and columns swapped)
_conv2d_loops_right = conv2d_loops


def conv2d_loops(x, w, b, stride=1, pad=0):
    return _conv2d_loops_right(x, w.transpose(0, 1, 3, 2), b, stride, pad)
