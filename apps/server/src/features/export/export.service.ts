import type { Db } from '../../db/database';

export class ExportService {
  constructor(private readonly deps: { db: Db; clock: () => Date }) {}
}
