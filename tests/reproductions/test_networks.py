"""The CPU matrix-product convolutions compute what torch's own layers compute."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from reproductions import networks as N


def _pair(cls_gemm, cls_torch, *args, **kw):
    torch.manual_seed(0)
    ref = cls_torch(*args, **kw)
    ours = cls_gemm(*args, **kw)
    ours.load_state_dict(ref.state_dict())  # same parameters, same state dict
    return ref, ours


def _forward_backward(layer, x):
    x = x.clone().requires_grad_(True)
    out = layer(x)
    out.square().sum().backward()
    return out.detach(), x.grad, [p.grad.clone() for p in layer.parameters()]


@pytest.mark.parametrize("hw", [1, 2, 4, 8, 16])
@pytest.mark.parametrize("bias", [True, False])
def test_gemm_conv_transpose_equals_conv_transpose(hw, bias):
    ref, ours = _pair(N.GemmConvTranspose2d, nn.ConvTranspose2d, 64, 32, 4, 2, 1, bias=bias)
    x = torch.randn(3, 64, hw, hw)
    for a, b in zip(_forward_backward(ref, x), _forward_backward(ours, x)):
        for u, v in zip(a if isinstance(a, list) else [a], b if isinstance(b, list) else [b]):
            torch.testing.assert_close(v, u, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("hw", [2, 4, 8, 16])
@pytest.mark.parametrize("stride,padding", [(2, 1), (1, 1)])
def test_gemm_conv_equals_conv(hw, stride, padding):
    ref, ours = _pair(N.GemmConv2d, nn.Conv2d, 48, 40, 4, stride, padding)
    x = torch.randn(2, 48, hw, hw)
    for a, b in zip(_forward_backward(ref, x), _forward_backward(ours, x)):
        for u, v in zip(a if isinstance(a, list) else [a], b if isinstance(b, list) else [b]):
            torch.testing.assert_close(v, u, rtol=1e-4, atol=1e-4)


def test_output_padding_and_channels_last_inputs():
    ref, ours = _pair(N.GemmConvTranspose2d, nn.ConvTranspose2d, 16, 8, 3, 2, 1, output_padding=1)
    x = torch.randn(2, 16, 5, 5).to(memory_format=torch.channels_last)
    torch.testing.assert_close(ours(x), ref(x), rtol=1e-4, atol=1e-4)


def test_the_matrix_product_runs_only_where_it_is_faster(monkeypatch):
    """Small inputs on the CPU take the product; larger ones, and a zero threshold, torch's kernel."""
    calls = []
    real = torch.nn.functional.fold
    monkeypatch.setattr(N.F, "fold", lambda *a, **k: calls.append(1) or real(*a, **k))
    layer = N.GemmConvTranspose2d(8, 4, 4, 2, 1)
    layer(torch.randn(1, 8, 8, 8))
    assert calls == [1]
    layer(torch.randn(1, 8, 16, 16))
    monkeypatch.setattr(N, "GEMM_MAX_PIXELS", 0)
    layer(torch.randn(1, 8, 2, 2))
    assert calls == [1]


def test_the_unet_uses_them_and_keeps_its_state_dict_keys():
    net = N.UNetGenerator(1, 1, ngf=8, n_down=5)
    assert any(isinstance(m, N.GemmConv2d) for m in net.modules())
    assert any(isinstance(m, N.GemmConvTranspose2d) for m in net.modules())
    assert all(k.startswith(("down.", "up.")) for k in net.state_dict())
    assert net(torch.randn(2, 1, 32, 32)).shape == (2, 1, 32, 32)
