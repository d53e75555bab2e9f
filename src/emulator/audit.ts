import type { EmulatorAudit } from './types.js';

/** Collects the events of `EmulatorAudit`; handlers note them after their write committed. */
export class AuditRecorder {
  private data: EmulatorAudit = {
    reopenedByAppend: [],
    autoAssigned: [],
    createdAtIgnored: [],
    attachmentsDropped: [],
    bodiesRewritten: [],
    primaryEmailChanged: [],
  };

  note<K extends keyof EmulatorAudit>(kind: K, ...entries: EmulatorAudit[K]): void {
    (this.data[kind] as EmulatorAudit[K][number][]).push(...entries);
  }

  snapshot(): EmulatorAudit {
    return structuredClone(this.data);
  }
}
