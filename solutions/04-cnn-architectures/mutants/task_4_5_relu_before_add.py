# Task 4.5: applies the ReLU to the body and then adds the shortcut (the shortcut is added after the ReLU)
_ResidualBlock_right = ResidualBlock


class ResidualBlock(_ResidualBlock_right):
    def forward(self, x):
        return torch.relu(self.body(x)) + self.shortcut(x)
