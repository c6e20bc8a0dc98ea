# Task 4.2: weight decay term not multiplied by the learning rate
def alexnet_sgd_step(w, grad, v, lr, momentum=0.9, weight_decay=5e-4):
    v_new = momentum * v - weight_decay * w - lr * grad
    return w + v_new, v_new
