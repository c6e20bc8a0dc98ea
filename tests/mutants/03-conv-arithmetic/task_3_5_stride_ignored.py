# Task 3.5: takes every pixel (stride 1) when filling the columns and then keeps the first H' W' of them
def im2col(x, k, stride=1, pad=0):
    n, c, height, width = x.shape
    out_h, out_w = conv_output_size(height, k, stride, pad), conv_output_size(width, k, stride, pad)
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = np.empty((n, c, k, k, out_h, out_w))
    for u in range(k):
        for v in range(k):
            cols[:, :, u, v] = xp[:, :, u:u + out_h, v:v + out_w]
    return cols.reshape(n, c * k * k, out_h * out_w)
