# Task 3.4: indexes the filter as w[f, c, v, u] (rows and columns swapped)
def conv2d_loops(x, w, b, stride=1, pad=0):
    n, c, height, width = x.shape
    f, _, k, _ = w.shape
    out_h, out_w = conv_output_size(height, k, stride, pad), conv_output_size(width, k, stride, pad)
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    y = np.empty((n, f, out_h, out_w))
    flat_w = w.transpose(0, 1, 3, 2).reshape(f, -1)
    for i in range(out_h):
        for j in range(out_w):
            patch = xp[:, :, i * stride:i * stride + k, j * stride:j * stride + k].reshape(n, -1)
            y[:, :, i, j] = patch @ flat_w.T + b
    return y
