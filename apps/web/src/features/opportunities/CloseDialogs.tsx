import { useState } from 'react';
import { App, AutoComplete, Button, Form, Input, Modal, Select, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useCompetitors, usePicklist } from '../../api/queries';
import type { Opportunity, OpportunitySummary, Stage } from '../../api/types';
import { useI18n } from '../../i18n';
import { parseMoneyInput, todayIn } from '../../lib/format';
import { applyFieldErrors, ErrorAlert, isVersionConflict } from '../../ui/errors';
import { useFormat } from '../../ui/format-hooks';
import { DateStringPicker, MoneyInput } from '../../ui/inputs';
import { refreshAfterChange } from './api';

export type CloseKind = 'won' | 'lost' | 'postponed' | 'reopen';

interface Props {
  kind: CloseKind | null;
  opportunity: Pick<OpportunitySummary, 'id' | 'version' | 'expectedAmount' | 'name' | 'code'>;
  /** Open stages a reopened opportunity may return to. */
  openStages?: Stage[];
  onClose: () => void;
  onDone?: (updated: Opportunity) => void;
}

/** The won, lost, postponed and reopen dialogs: one form each, errors next to the fields. */
export function CloseDialog({ kind, opportunity, openStages = [], onClose, onDone }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const format = useFormat();
  const [form] = Form.useForm();
  const queryClient = useQueryClient();
  const lossReasons = usePicklist('loss_reason');
  const postponeReasons = usePicklist('postpone_reason');
  const { data: competitors = [] } = useCompetitors();
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  const titles: Record<CloseKind, string> = {
    won: t('close.wonTitle'),
    lost: t('close.lostTitle'),
    postponed: t('close.postponeTitle'),
    reopen: t('close.reopenTitle'),
  };

  const submit = async () => {
    if (!kind) return;
    let values: Record<string, unknown>;
    try {
      values = (await form.validateFields()) as Record<string, unknown>;
    } catch {
      return;
    }
    setSubmitting(true);
    setError(null);
    const version = opportunity.version;
    try {
      let updated: Opportunity;
      if (kind === 'won') {
        const collections =
          (values.collections as { expectedDate: string; expectedAmount: string }[] | undefined) ??
          [];
        updated = await api.post<Opportunity>(`/opportunities/${opportunity.id}/close-won`, {
          version,
          amount: values.amount,
          signedDate: values.signedDate,
          collections: collections.length > 0 ? collections : undefined,
        });
      } else if (kind === 'lost') {
        const name = ((values.competitor as string | undefined) ?? '').trim();
        const known = competitors.find((c) => c.name === name);
        updated = await api.post<Opportunity>(`/opportunities/${opportunity.id}/close-lost`, {
          version,
          reason: values.reason,
          ...(known ? { competitorId: known.id } : name ? { competitorName: name } : {}),
          note: (values.note as string | undefined) || null,
        });
      } else if (kind === 'postponed') {
        updated = await api.post<Opportunity>(`/opportunities/${opportunity.id}/postpone`, {
          version,
          reason: values.reason,
          remedy: values.remedy,
          until: (values.until as string | undefined) ?? null,
        });
      } else {
        updated = await api.post<Opportunity>(`/opportunities/${opportunity.id}/reopen`, {
          version,
          reason: values.reason,
          stageId: values.stageId as string | undefined,
        });
      }
      void message.success(t(`close.done.${kind}`));
      await refreshAfterChange(queryClient, updated);
      form.resetFields();
      onDone?.(updated);
      onClose();
    } catch (caught) {
      applyFieldErrors(form, caught);
      setError(caught);
    } finally {
      setSubmitting(false);
    }
  };

  const moneyRule = {
    validator: (_: unknown, value?: string) =>
      value && parseMoneyInput(value) === null
        ? Promise.reject(new Error(t('validation.money')))
        : Promise.resolve(),
  };
  const required = { required: true, message: t('validation.required') };

  return (
    <Modal
      open={kind !== null}
      title={kind ? `${titles[kind]} · ${opportunity.code}` : ''}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('action.confirm')}
      cancelText={t('action.cancel')}
      confirmLoading={submitting}
      destroyOnHidden
      width={560}
      data-testid={`dialog-${kind ?? 'none'}`}
    >
      <p style={{ color: '#666' }}>{opportunity.name}</p>
      {error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert
            error={error}
            fieldsShownInline
            onReload={
              isVersionConflict(error)
                ? () => {
                    void refreshAfterChange(queryClient);
                    onClose();
                  }
                : undefined
            }
          />
        </div>
      ) : null}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          amount: Number(opportunity.expectedAmount) > 0 ? opportunity.expectedAmount : '',
          signedDate: todayIn(format.timeZone),
        }}
      >
        {kind === 'won' ? (
          <>
            <Space size={16} style={{ display: 'flex' }} align="start">
              <Form.Item
                name="amount"
                label={t('close.contractAmount')}
                rules={[required, moneyRule]}
              >
                <MoneyInput />
              </Form.Item>
              <Form.Item name="signedDate" label={t('close.signedDate')} rules={[required]}>
                <DateStringPicker />
              </Form.Item>
            </Space>
            <Form.List name="collections">
              {(fields, { add, remove }) => (
                <>
                  <div style={{ marginBottom: 8 }}>{t('close.collections')}</div>
                  {fields.map((field) => (
                    <Space key={field.key} align="start">
                      <Form.Item name={[field.name, 'expectedDate']} rules={[required]}>
                        <DateStringPicker placeholder={t('close.expectedDate')} />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'expectedAmount']}
                        rules={[required, moneyRule]}
                      >
                        <MoneyInput placeholder={t('close.expectedCollection')} />
                      </Form.Item>
                      <MinusCircleOutlined
                        onClick={() => remove(field.name)}
                        aria-label={t('action.remove')}
                        style={{ marginTop: 8 }}
                      />
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} block>
                    {t('close.addCollection')}
                  </Button>
                </>
              )}
            </Form.List>
          </>
        ) : null}
        {kind === 'lost' ? (
          <>
            <Form.Item name="reason" label={t('close.lossReason')} rules={[required]}>
              <Select options={lossReasons.options} data-testid="loss-reason" />
            </Form.Item>
            <Form.Item
              name="competitor"
              label={t('close.wonBy')}
              extra={t('close.wonByHint')}
              validateTrigger="onBlur"
            >
              <AutoComplete
                allowClear
                options={competitors.map((c) => ({ value: c.name }))}
                filterOption={(input, option) =>
                  String(option?.value ?? '')
                    .toLowerCase()
                    .includes(input.toLowerCase())
                }
              />
            </Form.Item>
            <Form.Item name="note" label={t('close.note')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
          </>
        ) : null}
        {kind === 'postponed' ? (
          <>
            <Form.Item name="reason" label={t('close.postponeReason')} rules={[required]}>
              <AutoComplete
                options={postponeReasons.options.map((o) => ({ value: o.label }))}
                data-testid="postpone-reason"
              />
            </Form.Item>
            <Form.Item name="remedy" label={t('close.remedy')} rules={[required]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
            <Form.Item name="until" label={t('close.until')}>
              <DateStringPicker />
            </Form.Item>
          </>
        ) : null}
        {kind === 'reopen' ? (
          <>
            <Form.Item
              name="stageId"
              label={t('close.reopenStage')}
              extra={t('close.reopenStageHint')}
            >
              <Select
                allowClear
                options={openStages.map((s) => ({ value: s.id, label: s.name }))}
              />
            </Form.Item>
            <Form.Item name="reason" label={t('move.reason')} rules={[required]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
          </>
        ) : null}
      </Form>
    </Modal>
  );
}
