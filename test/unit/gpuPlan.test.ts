import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gpuDeviceNodePresent } from '../../models/engine/gpuDevices';
import { backendOf, cpuAttempt, describeBackend, fallbackReason, hasRealGpu, llamaAttempts, metalOnly } from '../../models/engine/gpuPlan';

test('Apple Silicon: only the Metal build exists, so "off" is Metal with zero GPU layers, never gpu:false', () => {
  assert.equal(metalOnly('darwin', 'arm64'), true);
  assert.deepEqual(llamaAttempts('darwin', 'arm64', 'off'), [{ gpu: 'metal', gpuLayers: 0 }]);
  assert.deepEqual(llamaAttempts('darwin', 'arm64', 'auto'), [{ gpu: 'metal', gpuLayers: 'auto' }, { gpu: 'metal', gpuLayers: 0 }]);
  // Even a forced backend cannot ask for a build that does not exist there.
  assert.deepEqual(llamaAttempts('darwin', 'arm64', 'auto', 'vulkan')[0], { gpu: 'metal', gpuLayers: 'auto' });
  for (const setting of ['auto', 'off'] as const) {
    assert.ok(llamaAttempts('darwin', 'arm64', setting).every((a) => a.gpu !== false), `no gpu:false on darwin-arm64 (${setting})`);
  }
});

test('elsewhere "auto" tries the best GPU build, then the CPU build; "off" is the CPU build only', () => {
  for (const [platform, arch] of [['linux', 'x64'], ['win32', 'x64'], ['linux', 'arm64'], ['win32', 'arm64'], ['darwin', 'x64']]) {
    assert.equal(metalOnly(platform, arch), false);
    assert.deepEqual(llamaAttempts(platform, arch, 'auto'), [{ gpu: 'auto', gpuLayers: 'auto' }, { gpu: false, gpuLayers: 0 }], `${platform}-${arch}`);
    assert.deepEqual(llamaAttempts(platform, arch, 'off'), [{ gpu: false, gpuLayers: 0 }], `${platform}-${arch}`);
    assert.deepEqual(cpuAttempt(platform, arch), { gpu: false, gpuLayers: 0 });
  }
  assert.deepEqual(llamaAttempts('linux', 'x64', 'auto', 'vulkan'), [{ gpu: 'vulkan', gpuLayers: 'auto' }, { gpu: false, gpuLayers: 0 }]);
  assert.deepEqual(llamaAttempts('linux', 'x64', 'off', 'vulkan'), [{ gpu: false, gpuLayers: 0 }], '"off" wins over a forced backend');
});

test('the backend is what runs the layers: a GPU build with no layers on the GPU is the CPU', () => {
  assert.equal(backendOf(false, 0), 'cpu');
  assert.equal(backendOf('metal', 0), 'cpu');
  assert.equal(backendOf('metal', 25), 'metal');
  assert.equal(backendOf('vulkan', 29), 'vulkan');
  assert.equal(backendOf('cuda', 3), 'cuda');
  assert.equal(describeBackend({ backend: 'vulkan', device: 'NVIDIA GeForce RTX 4070', gpuLayers: 29 }), 'Vulkan: NVIDIA GeForce RTX 4070 (29 layers)');
  assert.equal(describeBackend({ backend: 'cpu', device: 'AMD Ryzen 7 5800U', gpuLayers: 0 }), 'CPU: AMD Ryzen 7 5800U');
  assert.equal(describeBackend({}), undefined);
});

test('a fallback reason names the GPU, the first line of the error, and that the CPU runs now', () => {
  const reason = fallbackReason({ gpu: 'vulkan', gpuLayers: 'auto' }, 'ErrorDeviceLost: vk::Queue::submit\n    at stack');
  assert.equal(reason, 'GPU (vulkan) failed: ErrorDeviceLost: vk::Queue::submit; running on the CPU');
  assert.match(fallbackReason({ gpu: 'auto', gpuLayers: 'auto' }, 'x'), /^GPU failed: x; running on the CPU$/);
});

test('a Vulkan build with no device or only a software renderer sees no real GPU', () => {
  // This Debian machine with Mesa installed: the Vulkan build loads and lists no device.
  assert.equal(hasRealGpu([]), false);
  assert.equal(hasRealGpu(['llvmpipe (LLVM 15.0.6, 256 bits)']), false);
  assert.equal(hasRealGpu(['SwiftShader Device (Subzero)']), false);
  assert.equal(hasRealGpu(['NVIDIA GeForce RTX 4070']), true);
  assert.equal(hasRealGpu(['llvmpipe (LLVM 15.0.6, 256 bits)', 'AMD Radeon 780M']), true, 'a real GPU beside it counts');
});

test('a Linux GPU shows in /dev: a DRM render node, NVIDIA\'s device, or WSL2\'s dxg', () => {
  assert.equal(gpuDeviceNodePresent(['null', 'tty0', 'dri'], ['card0', 'renderD128']), true);
  assert.equal(gpuDeviceNodePresent(['null', 'nvidia0', 'nvidiactl'], []), true);
  assert.equal(gpuDeviceNodePresent(['null', 'dxg'], []), true);
  // This machine (and a GPU-less desktop with Mesa): nothing, or a card node without a render node.
  assert.equal(gpuDeviceNodePresent(['null', 'tty0', 'nvidiactl'], ['card0']), false);
  assert.equal(gpuDeviceNodePresent([], []), false);
});
