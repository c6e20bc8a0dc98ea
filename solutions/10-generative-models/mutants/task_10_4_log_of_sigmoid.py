# Task 10.4: takes the log of the sigmoid, which is -inf once the sigmoid rounds to 0 or 1
def discriminator_loss(real_logits, fake_logits):
    return -torch.log(torch.sigmoid(real_logits)).mean() - torch.log(1 - torch.sigmoid(fake_logits)).mean()


def generator_loss(fake_logits, non_saturating=True):
    if non_saturating:
        return -torch.log(torch.sigmoid(fake_logits)).mean()
    return torch.log(1 - torch.sigmoid(fake_logits)).mean()
