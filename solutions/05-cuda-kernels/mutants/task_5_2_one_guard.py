# Task 5.2: guards the row index only
@cuda.jit
def transpose_kernel(a, out):
    c, r = cuda.grid(2)
    if r < a.shape[0]:
        out[c, r] = a[r, c]
