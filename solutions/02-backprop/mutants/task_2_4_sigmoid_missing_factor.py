# Task 2.4: the sigmoid slope written as sigma(z) instead of sigma(z) (1 - sigma(z))
def sigmoid_backward(G, a):
    return G * a
