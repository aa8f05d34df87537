import { useState } from 'react';
import { App, Button, Dropdown } from 'antd';
import { DownloadOutlined, FileExcelOutlined, FileTextOutlined } from '@ant-design/icons';
import { downloadFile, type QueryValue } from '../api/client';
import type { ExportList } from '../api/types';
import { useI18n } from '../i18n';
import { useErrorText } from './errors';

/** What can be exported: a list, or an analytics report (`analytics/<report>`). */
export type ExportTarget = ExportList | `analytics/${string}`;

/**
 * "Export → Excel (.xlsx) / CSV" for a list or a report: the server writes the file from the same
 * filters as the page shows (`query`), with headers in the UI language.
 */
export function ExportMenu({
  list,
  query,
  label,
  size,
}: {
  list: ExportTarget;
  query: Record<string, QueryValue>;
  /** The button's text when it is not simply "Export". */
  label?: string;
  size?: 'small' | 'middle';
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const id = list.replace('/', '-');

  const download = async (format: 'xlsx' | 'csv') => {
    setBusy(true);
    try {
      await downloadFile(`/exports/${list}`, { ...query, format, lang: locale }, `${id}.${format}`);
    } catch (error) {
      void message.error(`${t('export.failed')} ${errorText(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          {
            key: 'xlsx',
            icon: <FileExcelOutlined />,
            label: <span data-testid={`export-${id}-xlsx`}>{t('export.xlsx')}</span>,
            onClick: () => void download('xlsx'),
          },
          {
            key: 'csv',
            icon: <FileTextOutlined />,
            label: <span data-testid={`export-${id}-csv`}>{t('export.csv')}</span>,
            onClick: () => void download('csv'),
          },
        ],
      }}
    >
      <Button icon={<DownloadOutlined />} loading={busy} size={size} data-testid={`export-${id}`}>
        {label ?? t('export.button')}
      </Button>
    </Dropdown>
  );
}
