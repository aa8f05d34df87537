import { useState } from 'react';
import { App, Form, Input, Modal, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import type { ImportMapping, SavedImportMapping } from '../../api/types';
import { useI18n } from '../../i18n';
import { applyFieldErrors, ErrorAlert } from '../../ui/errors';
import { savedMappingsKey, useSavedMappings } from './import-api';

/**
 * Saves the mapping under a name for the next import; a name already saved updates that mapping
 * (with its version, so a change made meanwhile is not overwritten silently).
 */
export function SaveMappingDialog({
  mapping,
  initialName,
  onClose,
  onSaved,
}: {
  mapping: ImportMapping;
  initialName: string | undefined;
  onClose: () => void;
  onSaved: (saved: SavedImportMapping) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const saved = useSavedMappings();
  const [form] = Form.useForm<{ name: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const name = Form.useWatch('name', form) ?? initialName ?? '';
  const existing = saved.data?.find((m) => m.name.trim() === name.trim());

  const save = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    setError(null);
    try {
      const result = existing
        ? await api.patch<SavedImportMapping>(`/import-mappings/${existing.id}`, {
            version: existing.version,
            mapping,
          })
        : await api.post<SavedImportMapping>('/import-mappings', { name: values.name, mapping });
      await queryClient.invalidateQueries({ queryKey: savedMappingsKey });
      void message.success(t('import.save.saved', { name: result.name }));
      onSaved(result);
      onClose();
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'DUPLICATE')
        form.setFields([{ name: 'name', errors: [caught.message] }]);
      else {
        applyFieldErrors(form, caught);
        setError(caught);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('import.save.title')}
      okText={existing ? t('import.save.update') : t('action.save')}
      cancelText={t('action.cancel')}
      confirmLoading={busy}
      onOk={() => void save()}
      onCancel={onClose}
      destroyOnHidden
      data-testid="import-save-dialog"
    >
      <Form form={form} layout="vertical" initialValues={{ name: initialName ?? '' }}>
        <Form.Item
          name="name"
          label={t('import.save.name')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          extra={existing ? t('import.save.overwrites', { name: existing.name }) : undefined}
        >
          <Input maxLength={100} autoFocus data-testid="import-save-name" />
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary">{t('import.save.hint')}</Typography.Paragraph>
      <ErrorAlert error={error} fieldsShownInline />
    </Modal>
  );
}
