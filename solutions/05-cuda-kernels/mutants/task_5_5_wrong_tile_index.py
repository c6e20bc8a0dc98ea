# Task 5.5: loads the tile of B with the thread's x index as the row (a wrong tile index)
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
        a_tile[ty, tx] = a[r, k] if r < a.shape[0] and k < a.shape[1] else 0.0
        k = k0 * TILE + tx
        b_tile[ty, tx] = b[k, col] if k < b.shape[0] and col < b.shape[1] else 0.0
        cuda.syncthreads()
        for j in range(TILE):
            acc += a_tile[ty, j] * b_tile[j, tx]
        cuda.syncthreads()
    if r < c.shape[0] and col < c.shape[1]:
        c[r, col] = acc
