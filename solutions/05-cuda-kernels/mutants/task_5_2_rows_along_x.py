# Task 5.2: reads cuda.grid(2) as (row, column), while the grid puts columns along x
@cuda.jit
def transpose_kernel(a, out):
    r, c = cuda.grid(2)
    if r < a.shape[0] and c < a.shape[1]:
        out[c, r] = a[r, c]
