# Task 3.2: forgets the bias of each filter
def conv_parameters(c_in, c_out, k, bias=True):
    return c_out * k * k * c_in
