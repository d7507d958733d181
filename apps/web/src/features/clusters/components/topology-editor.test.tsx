import { describe, expect, it, vi } from 'vitest';
import type { ValidationIssue } from '@kpki/shared';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../../../api/client.ts';
import { asRole, renderWithProviders } from '../../../test/render.tsx';
import { blankTopology, emptyNode, type TopologyFormValues } from '../form/form-model.ts';
import { TopologyEditor } from './topology-editor.tsx';

const filled = (): TopologyFormValues => ({
  ...blankTopology(),
  name: 'lab',
  serviceCidr: '10.96.0.0/12',
  nodes: [{ ...emptyNode('control-plane'), name: 'cp-a', addresses: '10.0.0.1, 10.0.0.2' }],
});

describe('TopologyEditor', () => {
  it('shows the server error beside the field its JSON pointer names', async () => {
    // what the server could still refuse after the form's own check (the issue typed by the contract)
    const issue: ValidationIssue = { path: '/nodes/0/addresses/1', code: 'DUPLICATE_ADDRESS', message: 'address 10.0.0.2 is already given to node "cp-b" of this cluster' };
    const onSubmit = vi.fn().mockRejectedValue(new ApiError(400, 'INVALID_TOPOLOGY', 'the topology has 1 problem', [issue]));
    renderWithProviders(asRole('operator', <TopologyEditor initialValues={filled()} editing={false} submitLabel="Create cluster" onSubmit={onSubmit} onSaved={vi.fn()} />));
    fireEvent.click(screen.getByTestId('save-topology'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    const input = screen.getByTestId('node-0-addresses');
    await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('address 10.0.0.2 is already given to node "cp-b" of this cluster')).toBeTruthy();
    expect(screen.getByTestId('error-code').textContent).toBe('INVALID_TOPOLOGY');
    expect(screen.getByTestId('field-name').getAttribute('aria-invalid')).not.toBe('true');
  });

  it('runs the server\'s rules (validateCluster) before sending anything', async () => {
    const onSubmit = vi.fn();
    const values = filled();
    values.nodes[0].addresses = '10.0.0.1, 10.0.0.x';
    renderWithProviders(asRole('operator', <TopologyEditor initialValues={values} editing={false} submitLabel="Create cluster" onSubmit={onSubmit} onSaved={vi.fn()} />));
    fireEvent.click(screen.getByTestId('save-topology'));
    await waitFor(() => expect(screen.getByTestId('node-0-addresses').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText(/10\.0\.0\.x.*is not an IPv4 or IPv6 address/)).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('validates with the shared schema before sending anything', async () => {
    const onSubmit = vi.fn();
    const values = filled();
    values.name = '';
    renderWithProviders(asRole('operator', <TopologyEditor initialValues={values} editing={false} submitLabel="Create cluster" onSubmit={onSubmit} onSaved={vi.fn()} />));
    fireEvent.click(screen.getByTestId('save-topology'));
    await waitFor(() => expect(screen.getByTestId('field-name').getAttribute('aria-invalid')).toBe('true'));
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
