import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../../../api/client.ts';
import { renderWithProviders } from '../../../test/render.tsx';
import { blankTopology, emptyNode, type TopologyFormValues } from '../form/form-model.ts';
import { TopologyEditor } from './topology-editor.tsx';

const filled = (): TopologyFormValues => ({
  ...blankTopology(),
  name: 'lab',
  serviceCidr: '10.96.0.0/12',
  nodes: [{ ...emptyNode('control-plane'), name: 'cp-a', addresses: '10.0.0.1, 10.0.0.x' }],
});

describe('TopologyEditor', () => {
  it('shows the server error beside the field its JSON pointer names', async () => {
    const onSubmit = vi.fn().mockRejectedValue(
      new ApiError(400, 'INVALID_TOPOLOGY', 'the topology has 1 problem', [
        { path: '/nodes/0/addresses/1', code: 'INVALID_ADDRESS', message: 'not an IPv4 or IPv6 address' },
      ]),
    );
    renderWithProviders(<TopologyEditor initialValues={filled()} editing={false} submitLabel="Create cluster" onSubmit={onSubmit} onSaved={vi.fn()} />);
    fireEvent.click(screen.getByTestId('save-topology'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    const input = screen.getByTestId('node-0-addresses');
    await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('10.0.0.x: not an IPv4 or IPv6 address')).toBeTruthy();
    expect(screen.getByTestId('error-code').textContent).toBe('INVALID_TOPOLOGY');
    expect(screen.getByTestId('field-name').getAttribute('aria-invalid')).not.toBe('true');
  });

  it('validates with the shared schema before sending anything', async () => {
    const onSubmit = vi.fn();
    const values = filled();
    values.name = '';
    renderWithProviders(<TopologyEditor initialValues={values} editing={false} submitLabel="Create cluster" onSubmit={onSubmit} onSaved={vi.fn()} />);
    fireEvent.click(screen.getByTestId('save-topology'));
    await waitFor(() => expect(screen.getByTestId('field-name').getAttribute('aria-invalid')).toBe('true'));
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
