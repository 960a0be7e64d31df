/**
 * The shape of `audit --json`, as the audit specs read it.
 */
import type { Finding } from '../../src/audit/types.js';

export interface JsonReport {
  findings: Finding[];
  errors: { file: string; line: number | null; message: string }[];
  warnings: { file: string | null; message: string }[];
  notes: { file: string | null; message: string }[];
  read: string[];
  effective: Record<string, { indexes: string[]; findLinks: string[]; explicit?: string[] }>;
  summary: { risky: number; info: number; files: number; incomplete: boolean };
}
