# Task 3.6: cuts the padding off the end only, so dx is shifted by the padding
_backward_right = conv2d_backward


def conv2d_backward(G, x, w, stride=1, pad=0):
    n, c, height, width = x.shape
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dw, db = _backward_right(G, padded, w, stride, 0)
    return dxp[:, :, :height, :width], dw, db
