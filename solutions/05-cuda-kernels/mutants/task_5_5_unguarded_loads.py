# Task 5.5: loads tiles without guards, reading past the edges when sizes are not multiples of TILE
@cuda.jit
def matmul_kernel(a, b, c):
    a_tile = cuda.shared.array((TILE, TILE), float32)
    b_tile = cuda.shared.array((TILE, TILE), float32)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    r = cuda.blockIdx.y * TILE + ty
    col = cuda.blockIdx.x * TILE + tx
    acc = float32(0.0)
    for k0 in range((a.shape[1] + TILE - 1) // TILE):
        k = k0 * TILE + tx
        a_tile[ty, tx] = a[r, k]
        k = k0 * TILE + ty
        b_tile[ty, tx] = b[k, col]
        cuda.syncthreads()
        for j in range(TILE):
            acc += a_tile[ty, j] * b_tile[j, tx]
        cuda.syncthreads()
    if r < c.shape[0] and col < c.shape[1]:
        c[r, col] = acc
