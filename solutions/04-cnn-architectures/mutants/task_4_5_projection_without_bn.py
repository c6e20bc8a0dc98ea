# Task 4.5: the projection shortcut is a bare 1x1 convolution, without batch norm
_ResidualBlock_right = ResidualBlock


class ResidualBlock(_ResidualBlock_right):
    def __init__(self, c_in, c_out, stride=1):
        super().__init__(c_in, c_out, stride)
        if not isinstance(self.shortcut, nn.Identity):
            self.shortcut = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False))
