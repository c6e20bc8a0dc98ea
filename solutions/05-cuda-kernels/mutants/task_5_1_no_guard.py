# Task 5.1: no bounds guard: the threads of the last block past the end read and write out of bounds
@cuda.jit
def relu_kernel(x, out):
    i = cuda.grid(1)
    out[i] = max(x[i], 0.0)
