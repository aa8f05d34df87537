import { useState, type ReactNode } from 'react';
import { Button, Form, Space } from 'antd';
import { CheckOutlined, CloseOutlined, EditOutlined } from '@ant-design/icons';
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n';

/**
 * A value that turns into its editor on click; Save sends it and a field error from the API (or
 * the local check) is shown right under the editor.
 */
export function InlineEdit<T>({
  display,
  initial,
  editor,
  onSave,
  validate,
  path,
  disabled,
  testId,
}: {
  display: ReactNode;
  initial: T;
  editor: (value: T, onChange: (value: T) => void) => ReactNode;
  onSave: (value: T) => Promise<void>;
  validate?: (value: T) => string | null;
  /** The API's name of the field, to pick its error. */
  path: string;
  disabled?: boolean;
  testId?: string;
}) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<T>(initial);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  if (!editing) {
    return (
      <span
        className={disabled ? undefined : 'editable-value'}
        role={disabled ? undefined : 'button'}
        tabIndex={disabled ? undefined : 0}
        data-testid={testId}
        onClick={() => {
          if (disabled) return;
          setDraft(initial);
          setError(null);
          setEditing(true);
        }}
        onKeyDown={(event) => {
          if (!disabled && event.key === 'Enter') {
            setDraft(initial);
            setEditing(true);
          }
        }}
      >
        {display}
        {disabled ? null : <EditOutlined className="edit-icon" aria-label={t('action.edit')} />}
      </span>
    );
  }

  const save = async () => {
    const local = validate?.(draft) ?? null;
    if (local) {
      setError(local);
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await onSave(draft);
      setEditing(false);
    } catch (caught) {
      if (caught instanceof ApiError) {
        const own = caught.fields.find((f) => f.path === path || f.path.startsWith(`${path}.`));
        setError(own ? own.message : caught.code === 'VERSION_CONFLICT' ? null : caught.message);
        if (caught.code === 'VERSION_CONFLICT') setEditing(false);
      } else setError(t('error.unexpected'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div
      onKeyDown={(event) => {
        if (event.key === 'Escape') setEditing(false);
        if (event.key === 'Enter' && !(event.target instanceof HTMLTextAreaElement)) void save();
      }}
      data-testid={testId ? `${testId}-editor` : undefined}
    >
      <Form.Item
        validateStatus={error ? 'error' : undefined}
        help={error ?? undefined}
        style={{ marginBottom: 0 }}
      >
        {editor(draft, setDraft)}
      </Form.Item>
      <Space size={4} style={{ marginTop: 4 }}>
        <Button
          size="small"
          type="primary"
          icon={<CheckOutlined />}
          loading={saving}
          onClick={() => void save()}
        >
          {t('action.save')}
        </Button>
        <Button size="small" icon={<CloseOutlined />} onClick={() => setEditing(false)}>
          {t('action.cancel')}
        </Button>
      </Space>
    </div>
  );
}
