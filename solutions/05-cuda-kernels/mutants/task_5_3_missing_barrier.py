# Task 5.3: no cuda.syncthreads() between the steps of the tree (a race the simulator rarely shows)
@cuda.jit
def sum_kernel(x, partial):
    values = cuda.shared.array(THREADS, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    values[t] = x[i] if i < x.size else 0.0
    cuda.syncthreads()
    stride = THREADS // 2
    while stride > 0:
        if t < stride:
            values[t] += values[t + stride]
        stride //= 2
    if t == 0:
        partial[cuda.blockIdx.x] = values[0]
