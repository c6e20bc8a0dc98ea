# Task 3.2: adds up k - 1 per layer but ignores that strides spread later layers' pixels apart
def receptive_field(layers):
    return 1 + sum(kernel - 1 for kernel, _ in layers)
