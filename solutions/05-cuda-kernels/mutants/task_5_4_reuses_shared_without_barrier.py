# Task 5.4: reuses the shared array for the sums without waiting until every thread has read the maximum
@cuda.jit
def softmax_kernel(x, out):
    shared = cuda.shared.array(THREADS, float32)
    row, t = cuda.blockIdx.x, cuda.threadIdx.x
    cols = x.shape[1]
    m = -math.inf
    for c in range(t, cols, THREADS):
        m = max(m, x[row, c])
    shared[t] = m
    cuda.syncthreads()
    stride = THREADS // 2
    while stride > 0:
        if t < stride:
            shared[t] = max(shared[t], shared[t + stride])
        cuda.syncthreads()
        stride //= 2
    m = shared[0]
    s = 0.0
    for c in range(t, cols, THREADS):
        s += math.exp(x[row, c] - m)
    shared[t] = s
    cuda.syncthreads()
    stride = THREADS // 2
    while stride > 0:
        if t < stride:
            shared[t] += shared[t + stride]
        cuda.syncthreads()
        stride //= 2
    total = shared[0]
    for c in range(t, cols, THREADS):
        out[row, c] = math.exp(x[row, c] - m) / total
