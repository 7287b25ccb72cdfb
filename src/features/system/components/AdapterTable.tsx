// Renders what the WebGPU adapter offers, or says plainly that the CPU backend will be used.
import type { Capabilities } from '../../../engine/capabilities';

const MiB = 1024 * 1024;
const yesNo = (flag: boolean) => (flag ? 'yes' : 'no');

export function AdapterTable({ capabilities }: { capabilities: Capabilities }) {
  const { webgpu, crossOriginIsolated } = capabilities;
  const isolation = (
    <tr>
      <th>Cross-origin isolated</th>
      <td data-testid="isolated">{yesNo(crossOriginIsolated)}</td>
    </tr>
  );
  if (!webgpu.available) {
    return (
      <>
        <p className="notice warn" data-testid="webgpu-missing">
          WebGPU is not available here: {webgpu.reason} Editscope will run on its CPU backend, which is
          correct but much slower.
        </p>
        <table className="facts">
          <tbody>{isolation}</tbody>
        </table>
      </>
    );
  }
  const { adapter } = webgpu;
  const rows: [string, string][] = [
    ['Vendor', adapter.vendor || '(not reported)'],
    ['Architecture', adapter.architecture || '(not reported)'],
    ['Device', adapter.device || adapter.description || '(not reported)'],
    ['Fallback (software) adapter', yesNo(adapter.isFallbackAdapter)],
    ['shader-f16', yesNo(adapter.features.shaderF16)],
    [
      'Subgroups',
      adapter.features.subgroups
        ? `yes${adapter.subgroupSizes ? ` (size ${adapter.subgroupSizes.min}–${adapter.subgroupSizes.max})` : ''}`
        : 'no',
    ],
    ['Timestamp queries', yesNo(adapter.features.timestampQuery)],
    ['Max buffer size', `${(adapter.limits.maxBufferSize / MiB).toFixed(0)} MiB`],
    ['Max storage binding', `${(adapter.limits.maxStorageBufferBindingSize / MiB).toFixed(0)} MiB`],
    ['Workgroup storage', `${adapter.limits.maxComputeWorkgroupStorageSize / 1024} KiB`],
    ['Invocations per workgroup', String(adapter.limits.maxComputeInvocationsPerWorkgroup)],
    ['Storage buffers per stage', String(adapter.limits.maxStorageBuffersPerShaderStage)],
  ];
  return (
    <table className="facts" data-testid="adapter">
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th>{label}</th>
            <td>{value}</td>
          </tr>
        ))}
        {isolation}
      </tbody>
    </table>
  );
}
