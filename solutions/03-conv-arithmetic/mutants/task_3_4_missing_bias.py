# Task 3.4: leaves out the bias
_conv2d_loops_right = conv2d_loops


def conv2d_loops(x, w, b, stride=1, pad=0):
    return _conv2d_loops_right(x, w, np.zeros_like(b), stride, pad)
