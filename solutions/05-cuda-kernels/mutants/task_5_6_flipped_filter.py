# Task 5.6: flips the filter (true convolution), while the layer computes a cross-correlation
@cuda.jit
def conv2d_kernel(x, w, out):
    j, i, k = cuda.grid(3)
    if k < out.shape[0] and i < out.shape[1] and j < out.shape[2]:
        acc = 0.0
        for c in range(w.shape[1]):
            for u in range(w.shape[2]):
                for v in range(w.shape[3]):
                    acc += w[k, c, w.shape[2] - 1 - u, w.shape[3] - 1 - v] * x[c, i + u, j + v]
        out[k, i, j] = acc
