import { Alert, Button, type FormInstance } from 'antd';
import { ApiError, namePathOf } from '../api/client';
import { useI18n } from '../i18n';

/** The message of any error in the UI language (the API already translated its own). */
export function useErrorText() {
  const { t } = useI18n();
  return (error: unknown): string => {
    if (error instanceof ApiError) {
      if (error.code === 'NETWORK_ERROR') return t('error.network');
      return error.message;
    }
    return t('error.unexpected');
  };
}

export function isVersionConflict(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'VERSION_CONFLICT';
}

/** Puts the API's field errors next to the form's fields (`contacts.0.contactId` too). */
export function applyFieldErrors(form: FormInstance, error: unknown): void {
  if (!(error instanceof ApiError) || error.fields.length === 0) return;
  form.setFields(error.fields.map((f) => ({ name: namePathOf(f.path), errors: [f.message] })));
}

/** An error box; a version conflict says so and offers to reload. */
export function ErrorAlert({
  error,
  onReload,
  fieldsShownInline = false,
}: {
  error: unknown;
  onReload?: () => void;
  /** The form shows the field errors next to its fields: list them here only otherwise. */
  fieldsShownInline?: boolean;
}) {
  const { t } = useI18n();
  const text = useErrorText();
  if (!error) return null;
  if (isVersionConflict(error)) {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="version-conflict"
        title={t('error.versionConflict')}
        description={text(error)}
        action={
          onReload ? (
            <Button size="small" type="primary" onClick={onReload}>
              {t('action.reload')}
            </Button>
          ) : undefined
        }
      />
    );
  }
  const fields = error instanceof ApiError && !fieldsShownInline ? error.fields : [];
  return (
    <Alert
      type="error"
      showIcon
      data-testid="error-alert"
      title={text(error)}
      description={
        fields.length > 0 ? (
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {fields.map((f) => (
              <li key={f.path}>
                <code>{f.path}</code> {f.message}
              </li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}
