# Task 3.6: writes each patch's gradient into dx with = instead of +=, so overlapping patches overwrite each other
def conv2d_backward(G, x, w, stride=1, pad=0):
    n, c, height, width = x.shape
    f, _, k, _ = w.shape
    out_h, out_w = G.shape[2:]
    G_flat = G.reshape(n, f, out_h * out_w)
    dw = np.einsum("nfp,nqp->fq", G_flat, im2col(x, k, stride, pad)).reshape(w.shape)
    dcols = np.einsum("fq,nfp->nqp", w.reshape(f, -1), G_flat).reshape(n, c, k, k, out_h, out_w)
    dxp = np.zeros((n, c, height + 2 * pad, width + 2 * pad))
    for u in range(k):
        for v in range(k):
            dxp[:, :, u:u + stride * out_h:stride, v:v + stride * out_w:stride] = dcols[:, :, u, v]
    return dxp[:, :, pad:pad + height, pad:pad + width], dw, G.sum(axis=(0, 2, 3))
