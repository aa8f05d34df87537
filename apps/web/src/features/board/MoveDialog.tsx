import { useState } from 'react';
import {
  Alert,
  App,
  Descriptions,
  Form,
  Input,
  Modal,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { classifyMove, missingGateFields, moveNeedsReason } from '@funnel/domain';
import { api, ApiError } from '../../api/client';
import type { Opportunity, Stage } from '../../api/types';
import { useI18n } from '../../i18n';
import { parseMoneyInput } from '../../lib/format';
import { applyFieldErrors, ErrorAlert, isVersionConflict } from '../../ui/errors';
import {
  gateSnapshot,
  moveOpportunity,
  refreshAfterChange,
  useOpportunity,
} from '../opportunities/api';
import { FieldInput, isEditableField, useFieldLabel } from '../opportunities/fields';

interface Props {
  opportunityId: string;
  stages: Stage[];
  target: Stage;
  onClose: () => void;
}

/**
 * Moving a card: says whether it is a step forward, a skip or a move back (reason required for
 * the last two), and shows the target stage's gate: fields still missing can be filled in here.
 */
export function MoveDialog({ opportunityId, stages, target, onClose }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const fieldLabel = useFieldLabel();
  const [form] = Form.useForm();
  const { data: opportunity, refetch } = useOpportunity(opportunityId);
  const [error, setError] = useState<unknown>(null);
  const [serverMissing, setServerMissing] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);

  const from = opportunity ? stages.find((s) => s.id === opportunity.stage.id) : undefined;
  const moveKind =
    opportunity && from && from.kind === 'open'
      ? classifyMove(stages, from.id, target.id)
      : 'forward';
  const reasonRequired = moveNeedsReason(moveKind);
  const missing = opportunity
    ? [
        ...new Set([
          ...(moveKind === 'back'
            ? []
            : missingGateFields(target.requiredFields, gateSnapshot(opportunity))),
          ...serverMissing,
        ]),
      ]
    : [];
  const fillable = missing.filter(isEditableField);
  const notFillable = missing.filter((field) => !isEditableField(field));
  const blocks = target.gateMode === 'block' && missing.length > 0;

  const submit = async (current: Opportunity) => {
    let values: Record<string, unknown>;
    try {
      values = (await form.validateFields()) as Record<string, unknown>;
    } catch {
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      let version = current.version;
      const patch: Record<string, unknown> = {};
      for (const field of fillable) {
        const value = values[field];
        if (value !== undefined && value !== null && value !== '') patch[field] = value;
      }
      if (Object.keys(patch).length > 0) {
        const updated = await api.patch<Opportunity>(`/opportunities/${current.id}`, {
          version,
          ...patch,
        });
        version = updated.version;
      }
      const reason = (values.reason as string | undefined)?.trim();
      const result = await moveOpportunity(current.id, {
        version,
        stageId: target.id,
        ...(reason ? { reason } : {}),
      });
      for (const warning of result.warnings) {
        void message.warning(
          t('move.gateWarning', {
            fields: warning.fields.map(fieldLabel).join(t('list.separator')),
          }),
        );
      }
      void message.success(t('move.done', { stage: target.name }));
      await refreshAfterChange(queryClient, result.opportunity);
      onClose();
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'STAGE_GATE_UNMET') {
        const fields = caught.details.missingFields;
        if (Array.isArray(fields)) setServerMissing(fields.map(String));
      }
      if (caught instanceof ApiError && caught.code === 'REASON_REQUIRED') {
        // the server says why (skip, back, reopen) in the UI language
        form.setFields([{ name: 'reason', errors: [caught.message || t('move.reasonRequired')] }]);
      } else applyFieldErrors(form, caught);
      setError(caught);
    } finally {
      setSubmitting(false);
    }
  };

  const kindColor = { forward: 'blue', skip: 'orange', back: 'purple', same: 'default' } as const;

  return (
    <Modal
      open
      title={t('move.title')}
      onCancel={onClose}
      onOk={() => opportunity && void submit(opportunity)}
      okText={t('move.confirm')}
      cancelText={t('action.cancel')}
      okButtonProps={{ disabled: !opportunity, loading: submitting }}
      width={600}
      data-testid="move-dialog"
      destroyOnHidden
    >
      {!opportunity ? (
        <Skeleton active />
      ) : (
        <>
          <Typography.Paragraph>
            <strong>{opportunity.account.name}</strong> · {opportunity.name}
          </Typography.Paragraph>
          <Space style={{ marginBottom: 12 }}>
            <Tag>{opportunity.stage.name}</Tag>
            <ArrowRightOutlined />
            <Tag color="blue">{target.name}</Tag>
            <Tag color={kindColor[moveKind]} data-testid="move-kind">
              {t(`move.kind.${moveKind}`)}
            </Tag>
          </Space>
          {target.entryCriteria || target.keyActivities ? (
            <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}>
              {target.entryCriteria ? (
                <Descriptions.Item label={t('stage.entryCriteria')}>
                  {target.entryCriteria}
                </Descriptions.Item>
              ) : null}
              {target.keyActivities ? (
                <Descriptions.Item label={t('stage.keyActivities')}>
                  {target.keyActivities}
                </Descriptions.Item>
              ) : null}
            </Descriptions>
          ) : null}
          {missing.length > 0 ? (
            <Alert
              style={{ marginBottom: 12 }}
              type={blocks ? 'error' : 'warning'}
              showIcon
              data-testid="gate-missing"
              title={blocks ? t('move.gateBlocks') : t('move.gateWarns')}
              description={
                <>
                  {missing.map((field) => (
                    <Tag key={field} color={blocks ? 'red' : 'orange'}>
                      {fieldLabel(field)}
                    </Tag>
                  ))}
                  {notFillable.length > 0 ? (
                    <div style={{ marginTop: 6 }}>
                      <Link to={`/opportunities/${opportunity.id}`}>{t('move.fillOnDetail')}</Link>
                    </div>
                  ) : null}
                </>
              }
            />
          ) : null}
          {error &&
          !(
            error instanceof ApiError &&
            ['REASON_REQUIRED', 'STAGE_GATE_UNMET'].includes(error.code)
          ) ? (
            <div style={{ marginBottom: 12 }}>
              <ErrorAlert
                error={error}
                fieldsShownInline
                onReload={
                  isVersionConflict(error)
                    ? () => {
                        setError(null);
                        void refetch();
                      }
                    : undefined
                }
              />
            </div>
          ) : null}
          <Form form={form} layout="vertical">
            {fillable.map((field) => (
              <Form.Item
                key={field}
                name={field}
                label={fieldLabel(field)}
                rules={[
                  { required: blocks, message: t('validation.required') },
                  ...(field === 'expectedAmount'
                    ? [
                        {
                          validator: (_: unknown, value?: string) =>
                            value && parseMoneyInput(value) === null
                              ? Promise.reject(new Error(t('validation.money')))
                              : Promise.resolve(),
                        },
                      ]
                    : []),
                ]}
              >
                <FieldInput field={field} />
              </Form.Item>
            ))}
            <Form.Item
              name="reason"
              label={reasonRequired ? t('move.reasonRequiredLabel') : t('move.reasonOptional')}
              rules={[
                { required: reasonRequired, whitespace: true, message: t('move.reasonRequired') },
              ]}
            >
              <Input.TextArea
                autoSize={{ minRows: 2, maxRows: 5 }}
                placeholder={t('move.reasonPlaceholder')}
                data-testid="move-reason"
              />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
