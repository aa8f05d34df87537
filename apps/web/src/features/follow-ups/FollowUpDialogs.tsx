import { useState } from 'react';
import { App, AutoComplete, Form, Input, Modal, Radio, Select, Space } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { FOLLOW_UP_METHODS, type FollowUpMethod } from '@funnel/domain';
import { api } from '../../api/client';
import type { FollowUp } from '../../api/types';
import { useI18n } from '../../i18n';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { useFormat } from '../../ui/format-hooks';
import { ZonedDateTimePicker } from '../../ui/inputs';
import { refreshAfterChange } from '../opportunities/api';

export function useMethodOptions() {
  const { t } = useI18n();
  return FOLLOW_UP_METHODS.map((m) => ({ value: m, label: t(`method.${m}`) }));
}

const INTENT_KEYS = [
  'intent.positive',
  'intent.wait',
  'intent.priceObjection',
  'intent.cooling',
] as const;

type NextMode = 'cadence' | 'custom' | 'none';

interface LogValues {
  occurredAt: string;
  method: FollowUpMethod;
  content: string;
  nextAction?: string;
  intentChange?: string;
  nextMode: NextMode;
  nextPlannedAt?: string;
  nextMethod?: FollowUpMethod;
  nextGoal?: string;
}

/** Log a follow-up (time, method, content, next action, intent change) and plan the next one. */
export function LogFollowUpDialog({
  opportunityId,
  title,
  completes,
  onClose,
}: {
  opportunityId: string;
  title?: string;
  /** The planned follow-up this log carries out. */
  completes?: FollowUp;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  const methods = useMethodOptions();
  const [form] = Form.useForm<LogValues>();
  const nextMode = Form.useWatch('nextMode', form);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSaving(true);
    setError(null);
    try {
      const next =
        values.nextMode === 'none'
          ? null
          : values.nextMode === 'custom'
            ? {
                plannedAt: values.nextPlannedAt,
                method: values.nextMethod,
                goal: values.nextGoal?.trim() || undefined,
              }
            : undefined;
      await api.post(`/opportunities/${opportunityId}/follow-ups`, {
        occurredAt: values.occurredAt,
        method: values.method,
        content: values.content,
        nextAction: values.nextAction?.trim() || null,
        intentChange: values.intentChange?.trim() || null,
        ...(completes ? { completesFollowUpId: completes.id } : {}),
        ...(next === undefined ? {} : { next }),
      });
      void message.success(t('followUp.logged'));
      await refreshAfterChange(queryClient);
      await queryClient.invalidateQueries({ queryKey: ['opportunity', opportunityId] });
      await queryClient.invalidateQueries({ queryKey: ['opportunity-follow-ups', opportunityId] });
      onClose();
    } catch (caught) {
      // the API names the next follow-up's fields next.plannedAt, next.method, next.goal
      applyFieldErrors(form, caught);
      if (caught && typeof caught === 'object' && 'fields' in caught) {
        const fields = (caught as { fields: { path: string; message: string }[] }).fields;
        form.setFields(
          fields
            .filter((f) => f.path.startsWith('next.'))
            .map((f) => ({
              name: `next${f.path.slice(5, 6).toUpperCase()}${f.path.slice(6)}` as keyof LogValues,
              errors: [f.message],
            })),
        );
      }
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  const required = { required: true, message: t('validation.required') };
  return (
    <Modal
      open
      title={title ?? t('followUp.logTitle')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      confirmLoading={saving}
      width={620}
      destroyOnHidden
      data-testid="log-follow-up-dialog"
    >
      {error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={error} fieldsShownInline />
        </div>
      ) : null}
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          occurredAt: new Date().toISOString(),
          method: completes?.method ?? 'phone',
          nextMode: 'cadence',
          nextMethod: 'phone',
        }}
      >
        <Space size={16} style={{ display: 'flex' }} align="start">
          <Form.Item name="occurredAt" label={t('followUp.occurredAt')} rules={[required]}>
            <ZonedDateTimePicker timeZone={format.timeZone} allowClear={false} />
          </Form.Item>
          <Form.Item name="method" label={t('followUp.method')} rules={[required]}>
            <Select options={methods} style={{ width: 160 }} data-testid="follow-up-method" />
          </Form.Item>
        </Space>
        <Form.Item
          name="content"
          label={t('followUp.content')}
          rules={[{ ...required, whitespace: true }]}
          extra={t('followUp.contentHint')}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} data-testid="follow-up-content" />
        </Form.Item>
        <Form.Item name="nextAction" label={t('followUp.nextAction')}>
          <Input />
        </Form.Item>
        <Form.Item name="intentChange" label={t('followUp.intentChange')}>
          <AutoComplete options={INTENT_KEYS.map((key) => ({ value: t(key) }))} allowClear />
        </Form.Item>
        <Form.Item name="nextMode" label={t('followUp.planNext')}>
          <Radio.Group
            options={[
              { value: 'cadence', label: t('followUp.nextByCadence') },
              { value: 'custom', label: t('followUp.nextCustom') },
              { value: 'none', label: t('followUp.nextNone') },
            ]}
          />
        </Form.Item>
        {nextMode === 'custom' ? (
          <Space size={16} style={{ display: 'flex' }} align="start" wrap>
            <Form.Item name="nextPlannedAt" label={t('followUp.plannedAt')} rules={[required]}>
              <ZonedDateTimePicker timeZone={format.timeZone} />
            </Form.Item>
            <Form.Item name="nextMethod" label={t('followUp.method')}>
              <Select options={methods} style={{ width: 150 }} />
            </Form.Item>
            <Form.Item name="nextGoal" label={t('followUp.goal')}>
              <Input style={{ width: 220 }} />
            </Form.Item>
          </Space>
        ) : null}
      </Form>
    </Modal>
  );
}

/** Plan a follow-up: when (default by the priority cadence), how, and what for. */
export function PlanFollowUpDialog({
  opportunityId,
  onClose,
}: {
  opportunityId: string;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  const methods = useMethodOptions();
  const [form] = Form.useForm<{ plannedAt?: string; method: FollowUpMethod; goal?: string }>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSaving(true);
    setError(null);
    try {
      await api.post(`/opportunities/${opportunityId}/follow-ups/plan`, {
        method: values.method,
        ...(values.plannedAt ? { plannedAt: values.plannedAt } : {}),
        ...(values.goal?.trim() ? { goal: values.goal.trim() } : {}),
      });
      void message.success(t('followUp.planned'));
      await refreshAfterChange(queryClient);
      await queryClient.invalidateQueries({ queryKey: ['opportunity', opportunityId] });
      await queryClient.invalidateQueries({ queryKey: ['opportunity-follow-ups', opportunityId] });
      onClose();
    } catch (caught) {
      applyFieldErrors(form, caught);
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t('followUp.planTitle')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      confirmLoading={saving}
      destroyOnHidden
      data-testid="plan-follow-up-dialog"
    >
      {error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={error} fieldsShownInline />
        </div>
      ) : null}
      <Form form={form} layout="vertical" initialValues={{ method: 'phone' }}>
        <Form.Item
          name="plannedAt"
          label={t('followUp.plannedAt')}
          extra={t('followUp.plannedAtHint')}
        >
          <ZonedDateTimePicker timeZone={format.timeZone} />
        </Form.Item>
        <Form.Item name="method" label={t('followUp.method')}>
          <Select options={methods} />
        </Form.Item>
        <Form.Item name="goal" label={t('followUp.goal')}>
          <Input.TextArea autoSize={{ minRows: 2 }} data-testid="plan-goal" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function useCancelFollowUp() {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { t } = useI18n();
  return async (followUp: FollowUp) => {
    try {
      await api.patch(`/follow-ups/${followUp.id}`, {
        version: followUp.version,
        status: 'cancelled',
      });
      void message.success(t('followUp.cancelled'));
    } catch (error) {
      void message.error(error instanceof Error ? error.message : t('error.unexpected'));
    }
    await refreshAfterChange(queryClient);
    await queryClient.invalidateQueries({
      queryKey: ['opportunity-follow-ups', followUp.opportunity.id],
    });
  };
}
