"""Network architectures only (no losses, no optimizers, no training code).

Shapes use B batch, C channels, H x W image size; images are in [-1, 1].
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def norm_layer(kind: str, ch: int) -> nn.Module:
    """``batch`` | ``instance`` | ``group`` | ``none``; unknown -> ValueError."""
    choices = {
        "batch": lambda: nn.BatchNorm2d(ch),
        "instance": lambda: nn.InstanceNorm2d(ch, affine=False),
        "group": lambda: nn.GroupNorm(min(8, ch), ch),
        "none": lambda: nn.Identity(),
    }
    if kind not in choices:
        raise ValueError(f"unknown norm {kind!r}; choices: {sorted(choices)}")
    return choices[kind]()


def init_weights(net: nn.Module, gain: float = 0.02) -> nn.Module:
    """N(0, 0.02) conv weights and N(1, 0.02) norm scales (Radford et al. 2016; Isola et al. 2017)."""
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(m.weight, 0.0, gain)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)) and m.weight is not None:
            nn.init.normal_(m.weight, 1.0, gain)
            nn.init.zeros_(m.bias)
    return net


#: At or below this many input pixels (8 x 8) a CPU convolution runs as one matrix product.
#: oneDNN's direct kernels reach 5 to 15 % of the CPU's matmul rate on the U-Net's inner
#: levels (512 to 1024 channels at 1x1 to 8x8, where the weights outweigh the activations);
#: the product is 1.3 to 3x faster there and slower above 8x8 (measured fwd + bwd).
GEMM_MAX_PIXELS = 64


def _gemm_ok(conv: nn.Module, x: torch.Tensor) -> bool:
    return (x.device.type == "cpu" and x.dim() == 4 and x.shape[-2] * x.shape[-1] <= GEMM_MAX_PIXELS
            and conv.groups == 1 and conv.dilation == (1, 1) and conv.padding_mode == "zeros"
            and not isinstance(conv.padding, str))


class GemmConv2d(nn.Conv2d):
    """``nn.Conv2d`` (same parameters, state dict and maths) that on the CPU at small spatial
    sizes computes its linear map as unfold + one matrix product; elsewhere oneDNN/cuDNN."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not _gemm_ok(self, x):
            return super().forward(x)
        b, _, h, w = x.shape
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        ho, wo = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
        cols = F.unfold(x, self.kernel_size, padding=self.padding, stride=self.stride)  # B, Cin*kh*kw, L
        out = torch.matmul(self.weight.reshape(self.out_channels, -1), cols).reshape(b, self.out_channels, ho, wo)
        return out if self.bias is None else out + self.bias.view(1, -1, 1, 1)


class GemmConvTranspose2d(nn.ConvTranspose2d):
    """``nn.ConvTranspose2d`` (same parameters, state dict and maths) that on the CPU at small
    spatial sizes computes its linear map as one matrix product + fold (col2im)."""

    def forward(self, x: torch.Tensor, output_size: list[int] | None = None) -> torch.Tensor:
        if output_size is not None or not _gemm_ok(self, x):
            return super().forward(x, output_size)
        b, cin, h, w = x.shape
        (kh, kw), (sh, sw), (ph, pw), (oh, ow) = self.kernel_size, self.stride, self.padding, self.output_padding
        ho, wo = (h - 1) * sh - 2 * ph + kh + oh, (w - 1) * sw - 2 * pw + kw + ow
        cols = torch.matmul(self.weight.reshape(cin, -1).t(), x.reshape(b, cin, h * w))  # B, Cout*kh*kw, H*W
        out = F.fold(cols, (ho, wo), self.kernel_size, padding=self.padding, stride=self.stride)
        return out if self.bias is None else out + self.bias.view(1, -1, 1, 1)


class UNetGenerator(nn.Module):
    """pix2pix U-Net (Isola et al., CVPR 2017): ``n_down`` stride-2 convs to 1x1 at the
    bottleneck for H = 2**n_down (``unet_128``: n_down = 7, ``unet_256``: 8), skips by
    concatenation, dropout 0.5 in the three innermost decoder blocks.

    (B, in_ch, H, W) -> (B, out_ch, H, W) in [-1, 1] (tanh).
    """

    def __init__(self, in_ch: int, out_ch: int, *, ngf: int = 64, n_down: int = 7,
                 norm: str = "batch", dropout: float = 0.5):
        super().__init__()
        use_bias = norm != "batch"
        ch = [min(ngf * 2**i, ngf * 8) for i in range(n_down)]  # encoder widths
        self.down = nn.ModuleList()
        for i in range(n_down):
            cin = in_ch if i == 0 else ch[i - 1]
            layers: list[nn.Module] = [] if i == 0 else [nn.LeakyReLU(0.2, True)]
            layers.append(GemmConv2d(cin, ch[i], 4, 2, 1, bias=use_bias))
            if 0 < i < n_down - 1:
                layers.append(norm_layer(norm, ch[i]))
            self.down.append(nn.Sequential(*layers))
        self.up = nn.ModuleList()
        for i in reversed(range(n_down)):
            cin = ch[i] if i == n_down - 1 else ch[i] * 2
            cout = out_ch if i == 0 else ch[i - 1]
            layers = [nn.ReLU(True), GemmConvTranspose2d(cin, cout, 4, 2, 1, bias=use_bias or i == 0)]
            if i == 0:
                layers.append(nn.Tanh())
            else:
                layers.append(norm_layer(norm, cout))
                if dropout > 0 and n_down - 4 < i < n_down - 1:
                    layers.append(nn.Dropout(dropout))
            self.up.append(nn.Sequential(*layers))
        init_weights(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skips = []
        for d in self.down:
            x = d(x)
            skips.append(x)
        x = self.up[0](skips.pop())
        for u in self.up[1:]:
            x = u(torch.cat([x, skips.pop()], 1))
        return x


class PatchDiscriminator(nn.Module):
    """PatchGAN (Isola et al. 2017): ``n_layers = 3`` gives 70x70 receptive fields.
    (B, in_ch, H, W) -> (B, 1, H', W') logits."""

    def __init__(self, in_ch: int, *, ndf: int = 64, n_layers: int = 3, norm: str = "batch"):
        super().__init__()
        use_bias = norm != "batch"
        layers: list[nn.Module] = [nn.Conv2d(in_ch, ndf, 4, 2, 1), nn.LeakyReLU(0.2, True)]
        mult = 1
        for n in range(1, n_layers + 1):
            prev, mult = mult, min(2**n, 8)
            stride = 2 if n < n_layers else 1
            layers += [nn.Conv2d(ndf * prev, ndf * mult, 4, stride, 1, bias=use_bias),
                       norm_layer(norm, ndf * mult), nn.LeakyReLU(0.2, True)]
        layers.append(nn.Conv2d(ndf * mult, 1, 4, 1, 1))
        self.net = nn.Sequential(*layers)
        init_weights(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class ResnetBlock(nn.Module):
    def __init__(self, ch: int, norm: str):
        super().__init__()
        self.block = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(ch, ch, 3), norm_layer(norm, ch), nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(ch, ch, 3), norm_layer(norm, ch))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.block(x)


class ResnetGenerator(nn.Module):
    """CycleGAN ResNet generator (Johnson et al. 2016; Zhu et al., ICCV 2017):
    7x7 conv, ``n_down`` stride-2 convs, ``n_blocks`` residual blocks, mirrored upsampling.
    (B, in_ch, H, W) -> (B, out_ch, H, W) in [-1, 1]."""

    def __init__(self, in_ch: int, out_ch: int, *, ngf: int = 64, n_blocks: int = 6,
                 n_down: int = 2, norm: str = "instance"):
        super().__init__()
        layers: list[nn.Module] = [nn.ReflectionPad2d(3), nn.Conv2d(in_ch, ngf, 7),
                                   norm_layer(norm, ngf), nn.ReLU(True)]
        for i in range(n_down):
            c = ngf * 2**i
            layers += [nn.Conv2d(c, 2 * c, 3, 2, 1), norm_layer(norm, 2 * c), nn.ReLU(True)]
        layers += [ResnetBlock(ngf * 2**n_down, norm) for _ in range(n_blocks)]
        for i in reversed(range(n_down)):
            c = ngf * 2 ** (i + 1)
            layers += [nn.ConvTranspose2d(c, c // 2, 3, 2, 1, output_padding=1),
                       norm_layer(norm, c // 2), nn.ReLU(True)]
        layers += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, out_ch, 7), nn.Tanh()]
        self.net = nn.Sequential(*layers)
        init_weights(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class DCGANGenerator(nn.Module):
    """DCGAN generator (Radford et al., ICLR 2016): z (B, z_dim) -> (B, out_ch, S, S),
    S = 4 * 2**k via transposed convs with batch norm and ReLU, tanh output.
    ``n_classes`` > 0 adds a label embedding to z (class-conditional)."""

    def __init__(self, z_dim: int, out_ch: int, *, size: int = 64, ngf: int = 64, n_classes: int = 0):
        super().__init__()
        k = int(math.log2(size)) - 2
        if 4 * 2**k != size:
            raise ValueError(f"size must be a power of two >= 8, got {size}")
        self.z_dim, self.n_classes = z_dim, n_classes
        self.embed = nn.Embedding(n_classes, z_dim) if n_classes else None
        c = ngf * 2 ** (k - 1)
        layers: list[nn.Module] = [nn.ConvTranspose2d(z_dim, c, 4, 1, 0, bias=False), nn.BatchNorm2d(c), nn.ReLU(True)]
        for _ in range(k - 1):
            layers += [nn.ConvTranspose2d(c, c // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(c // 2), nn.ReLU(True)]
            c //= 2
        layers += [nn.ConvTranspose2d(c, out_ch, 4, 2, 1), nn.Tanh()]
        self.net = nn.Sequential(*layers)
        init_weights(self)

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        if self.embed is not None and y is not None:
            z = z + self.embed(y)
        return self.net(z[:, :, None, None])


class DCGANDiscriminator(nn.Module):
    """DCGAN discriminator: (B, in_ch, S, S) -> (B,) logits; strided convs, LeakyReLU 0.2."""

    def __init__(self, in_ch: int, *, size: int = 64, ndf: int = 64, norm: str = "batch"):
        super().__init__()
        k = int(math.log2(size)) - 2
        layers: list[nn.Module] = [nn.Conv2d(in_ch, ndf, 4, 2, 1), nn.LeakyReLU(0.2, True)]
        c = ndf
        for _ in range(k - 1):
            layers += [nn.Conv2d(c, 2 * c, 4, 2, 1, bias=False), norm_layer(norm, 2 * c), nn.LeakyReLU(0.2, True)]
            c *= 2
        layers.append(nn.Conv2d(c, 1, 4, 1, 0))
        self.net = nn.Sequential(*layers)
        init_weights(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).flatten()


class ConvEncoder(nn.Module):
    """Strided conv encoder: (B, in_ch, S, S) -> (B, out_dim). Used by the VAE, the
    in-repo feature encoder of the Fréchet distance, and the downstream classifier."""

    def __init__(self, in_ch: int, out_dim: int, *, size: int = 64, ch: int = 32, norm: str = "batch"):
        super().__init__()
        n = int(math.log2(size)) - 2
        layers: list[nn.Module] = []
        c_in, c = in_ch, ch
        for i in range(n):
            layers += [nn.Conv2d(c_in, c, 4, 2, 1), norm_layer(norm, c), nn.LeakyReLU(0.2, True)]
            c_in, c = c, min(c * 2, ch * 8)
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(c_in * 16, out_dim)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        return self.features(x).flatten(1)  # (B, C * 16)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.embed(x))


class ConvDecoder(nn.Module):
    """Mirror of ``ConvEncoder``: (B, in_dim) -> (B, out_ch, S, S) in [-1, 1]."""

    def __init__(self, in_dim: int, out_ch: int, *, size: int = 64, ch: int = 32):
        super().__init__()
        n = int(math.log2(size)) - 2
        c = min(ch * 2 ** (n - 1), ch * 8)
        self.c0 = c
        self.fc = nn.Linear(in_dim, c * 16)
        layers: list[nn.Module] = []
        for i in range(n - 1):
            c_out = max(ch, c // 2)
            layers += [nn.ConvTranspose2d(c, c_out, 4, 2, 1), nn.BatchNorm2d(c_out), nn.ReLU(True)]
            c = c_out
        layers += [nn.ConvTranspose2d(c, out_ch, 4, 2, 1), nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(self.fc(z).view(-1, self.c0, 4, 4))


def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoidal embedding (Vaswani et al. 2017; Ho et al. 2020): (B,) -> (B, dim)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000) * torch.arange(half, device=t.device, dtype=torch.float32) / half)
    a = t.float()[:, None] * freqs[None]
    return torch.cat([a.sin(), a.cos()], 1)


class TimeResBlock(nn.Module):
    def __init__(self, cin: int, cout: int, tdim: int):
        super().__init__()
        self.n1, self.c1 = nn.GroupNorm(min(8, cin), cin), nn.Conv2d(cin, cout, 3, 1, 1)
        self.t = nn.Linear(tdim, cout)
        self.n2, self.c2 = nn.GroupNorm(min(8, cout), cout), nn.Conv2d(cout, cout, 3, 1, 1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()
        self.act = nn.SiLU()

    def forward(self, x: torch.Tensor, temb: torch.Tensor) -> torch.Tensor:
        h = self.c1(self.act(self.n1(x)))
        h = h + self.t(temb)[:, :, None, None]
        h = self.c2(self.act(self.n2(h)))
        return h + self.skip(x)


class DiffusionUNet(nn.Module):
    """Time-conditioned U-Net for DDPM (Ho et al., NeurIPS 2020), compact: one residual
    block per level, GroupNorm/SiLU, no attention. ``cond_ch`` extra input channels carry a
    conditioning image (translation); ``n_classes`` adds a label embedding.
    (B, in_ch + cond_ch, H, W), t (B,) -> (B, out_ch, H, W)."""

    def __init__(self, in_ch: int, out_ch: int, *, ch: int = 32, mults: tuple[int, ...] = (1, 2, 2),
                 cond_ch: int = 0, n_classes: int = 0):
        super().__init__()
        tdim = ch * 4
        self.ch = ch
        self.temb = nn.Sequential(nn.Linear(ch, tdim), nn.SiLU(), nn.Linear(tdim, tdim))
        self.cemb = nn.Embedding(n_classes, tdim) if n_classes else None
        self.inp = nn.Conv2d(in_ch + cond_ch, ch, 3, 1, 1)
        widths = [ch * m for m in mults]
        self.down, self.pool = nn.ModuleList(), nn.ModuleList()
        c = ch
        for i, w in enumerate(widths):
            self.down.append(TimeResBlock(c, w, tdim))
            self.pool.append(nn.Conv2d(w, w, 3, 2, 1) if i < len(widths) - 1 else nn.Identity())
            c = w
        self.mid = TimeResBlock(c, c, tdim)
        self.up, self.unpool = nn.ModuleList(), nn.ModuleList()
        for i, w in reversed(list(enumerate(widths))):
            self.up.append(TimeResBlock(c + w, w, tdim))
            self.unpool.append(nn.Upsample(scale_factor=2, mode="nearest") if i > 0 else nn.Identity())
            c = w
        self.out = nn.Sequential(nn.GroupNorm(min(8, c), c), nn.SiLU(), nn.Conv2d(c, out_ch, 3, 1, 1))

    def forward(self, x: torch.Tensor, t: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        temb = self.temb(timestep_embedding(t, self.ch))
        if self.cemb is not None and y is not None:
            temb = temb + self.cemb(y)
        h = self.inp(x)
        skips = []
        for blk, pool in zip(self.down, self.pool):
            h = blk(h, temb)
            skips.append(h)
            h = pool(h)
        h = self.mid(h, temb)
        for blk, unpool in zip(self.up, self.unpool):
            h = blk(torch.cat([h, skips.pop()], 1), temb)
            h = unpool(h)
        return self.out(h)


class FusionGenerator(nn.Module):
    """Multi-input fusion translator in the style of Hi-Net (Zhou et al., IEEE TMI 2020):
    one encoder per source contrast, a fusion block per level that mixes the element-wise
    sum, product and maximum of the modality features (Hi-Net's MFB) through a 1x1 conv,
    and a U-Net decoder fed by the fused skips. With every input missing-modality-masked
    this is also the MM-GAN (Sharma & Hamarneh, TMI 2019) imputation setting.
    (B, n_in, H, W) -> (B, out_ch, H, W) in [-1, 1]."""

    def __init__(self, n_in: int, out_ch: int, *, ngf: int = 32, n_down: int = 4, norm: str = "batch"):
        super().__init__()
        self.n_in = n_in
        ch = [min(ngf * 2**i, ngf * 8) for i in range(n_down)]

        def enc() -> nn.ModuleList:
            return nn.ModuleList(
                nn.Sequential(nn.Conv2d(1 if i == 0 else ch[i - 1], ch[i], 4, 2, 1),
                              norm_layer(norm, ch[i]), nn.LeakyReLU(0.2, True))
                for i in range(n_down))

        self.encoders = nn.ModuleList(enc() for _ in range(n_in))
        self.fuse = nn.ModuleList(nn.Conv2d(3 * c if n_in > 1 else c, c, 1) for c in ch)
        self.up = nn.ModuleList()
        for i in reversed(range(n_down)):
            cin = ch[i] if i == n_down - 1 else 2 * ch[i]
            cout = ngf if i == 0 else ch[i - 1]
            self.up.append(nn.Sequential(nn.ConvTranspose2d(cin, cout, 4, 2, 1), norm_layer(norm, cout), nn.ReLU(True)))
        self.out = nn.Sequential(nn.Conv2d(ngf, out_ch, 3, 1, 1), nn.Tanh())
        init_weights(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        feats = [list() for _ in range(len(self.fuse))]
        for m, enc in enumerate(self.encoders):
            h = x[:, m:m + 1]
            for lvl, layer in enumerate(enc):
                h = layer(h)
                feats[lvl].append(h)
        fused = []
        for lvl, fs in enumerate(feats):
            if self.n_in == 1:
                fused.append(self.fuse[lvl](fs[0]))
                continue
            st = torch.stack(fs)  # (n_in, B, C, h, w)
            fused.append(self.fuse[lvl](torch.cat([st.sum(0), st.prod(0), st.amax(0)], 1)))
        h = self.up[0](fused.pop())
        for u in self.up[1:]:
            h = u(torch.cat([h, fused.pop()], 1))
        return self.out(h)
