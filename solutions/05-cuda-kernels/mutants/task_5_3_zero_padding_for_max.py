# Task 5.3: pads the last block with 0 for the maximum too, which wins when every value is negative
@cuda.jit
def max_kernel(x, partial):
    values = cuda.shared.array(THREADS, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    values[t] = x[i] if i < x.size else 0.0
    cuda.syncthreads()
    stride = THREADS // 2
    while stride > 0:
        if t < stride:
            values[t] = max(values[t], values[t + stride])
        cuda.syncthreads()
        stride //= 2
    if t == 0:
        partial[cuda.blockIdx.x] = values[0]
