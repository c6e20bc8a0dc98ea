# Task 3.3: counts a linear layer's weights but not its biases
_walk_right = walk


def walk(network, input_shape):
    rows = _walk_right(network, input_shape)
    return [(name, shape, params - shape[0] if name == "linear" else params) for name, shape, params in rows]
