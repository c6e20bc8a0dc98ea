# Task 3.5: flattens each patch in (row, column, channel) order, which does not match w.reshape(F, -1)
def im2col(x, k, stride=1, pad=0):
    n, c, height, width = x.shape
    out_h, out_w = conv_output_size(height, k, stride, pad), conv_output_size(width, k, stride, pad)
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = np.empty((n, k, k, c, out_h, out_w))
    for u in range(k):
        for v in range(k):
            cols[:, u, v] = xp[:, :, u:u + stride * out_h:stride, v:v + stride * out_w:stride]
    return cols.reshape(n, c * k * k, out_h * out_w)
