# Task 5.6: guards the filter index only, so threads past the output's edges write out of bounds
@cuda.jit
def conv2d_kernel(x, w, out):
    j, i, k = cuda.grid(3)
    if k < out.shape[0]:
        acc = 0.0
        for c in range(w.shape[1]):
            for u in range(w.shape[2]):
                for v in range(w.shape[3]):
                    acc += w[k, c, u, v] * x[c, i + u, j + v]
        out[k, i, j] = acc
