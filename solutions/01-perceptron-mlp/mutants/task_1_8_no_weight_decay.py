# Task 1.8: ignores weight_decay
def sgd_momentum_step(w, grad, velocity, lr, momentum=0.9, weight_decay=0.0):
    new_velocity = momentum * velocity - lr * grad
    return w + new_velocity, new_velocity
