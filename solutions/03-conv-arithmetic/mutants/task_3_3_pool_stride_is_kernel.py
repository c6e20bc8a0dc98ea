# Task 3.3: assumes pooling windows never overlap (stride = window size)
_walk_right = walk


def walk(network, input_shape):
    return _walk_right([(l[0], l[1], l[1]) if l[0] in ("maxpool", "avgpool") else l for l in network], input_shape)
