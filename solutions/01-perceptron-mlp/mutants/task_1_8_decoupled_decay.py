# Task 1.8: applies weight decay outside the momentum buffer (decoupled, not the lecture's rule)
def sgd_momentum_step(w, grad, velocity, lr, momentum=0.9, weight_decay=0.0):
    new_velocity = momentum * velocity - lr * grad
    return w + new_velocity - lr * weight_decay * w, new_velocity
