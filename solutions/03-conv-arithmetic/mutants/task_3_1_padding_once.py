# Task 3.1: counts the padding on one side only (n + P - k instead of n + 2P - k)
def conv_output_size(n, k, stride=1, pad=0):
    span = n + pad - k
    if span < 0 or span % stride:
        raise ValueError("the filter does not fit")
    return span // stride + 1
