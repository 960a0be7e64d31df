/**
 * pypi-reserve's library API: the same functions the CLI commands call.
 * The pure core builds placeholders and upload forms without any I/O; the
 * operations take an injected World (dispatcher, clock, sleep, logger).
 */
export { EXIT, InputError, ReserveError, CredentialError, formatProblem, type Problem, type ExitCode } from './core/errors.js';
export {
  normalizeName,
  filenameStem,
  isValidProjectName,
  nameProblem,
  validateNames,
  toProjectNames,
  type NameEntry,
  type ProjectName,
  type ProjectNameInput,
} from './core/names.js';
export { parseNamesText } from './core/names-file.js';
export { isStdlibBlocked } from './core/stdlib.js';
export { checkVersion, DEFAULT_VERSION } from './core/version.js';
export {
  validatePlaceholderInput,
  placeholderMetadata,
  refusalMessage,
  summaryFor,
  type PlaceholderInput,
  type PlaceholderOptions,
  type PlaceholderMetadata,
} from './core/metadata.js';
export { planPlaceholders, type PlannedName } from './core/plan.js';
export { renderFiles } from './core/templates.js';
export { buildSdist, DEFAULT_MTIME, type Sdist } from './core/sdist.js';
export { createTarGz } from './core/tar.js';
export { buildUploadForm, type UploadForm, type UploadField } from './core/upload-form.js';
export { encodeMultipart, type MultipartBody } from './core/multipart.js';
export { checkExitCode, reserveExitCode, type CheckOutcome, type ReserveOutcome, type CheckStatus, type ReserveStatus } from './core/outcomes.js';
export { parseRateLimit, computePace, type Pace, type RateLimitInfo } from './core/pace.js';
export {
  judgeOwnership,
  judgeByRecord,
  applyProjectStatus,
  accountNameProblem,
  type OwnAccounts,
  type OwnershipRecord,
  type ExistingVerdict,
} from './core/ownership.js';
export type { ProjectStatus } from './core/project-status.js';
export { deriveIndexUrl, KNOWN_REPOSITORIES, resolveRepository, type Repository } from './registry/repositories.js';
export { resolveCredential, peekCredential, assertTokenBoundTo, type Credential, type CredentialSources } from './registry/credentials.js';
export { readPypiToken, uploadHostOf, type PypiTokenFacts, type TokenScope } from './core/pypi-token.js';
export { Redactor } from './registry/redact.js';
export { HttpError, ReadGate, RETRYABLE_STATUSES, RETRYABLE_UPLOAD_STATUSES } from './registry/http.js';
export { judgeUploadAnswer, type UploadVerdict } from './registry/upload-answer.js';
export { buildPlaceholders, type BuildResult } from './ops/build.js';
export { checkNames, type CheckRequest } from './ops/check.js';
export { reserveNames, type ReserveRequest, type ReserveReport, type ReserveStop, type StopKind } from './ops/reserve.js';
export { emailAddressProblem } from './core/email-address.js';
export type { World, ProgressEvent } from './ops/world.js';
export { gatherNames } from './sources/gather.js';
export type { NamesSpec } from './sources/spec.js';
export { mergeNamesSpec } from './sources/merge-spec.js';
export { readRequirements } from './sources/requirements.js';
export { readPyproject } from './sources/pyproject.js';
export { listPrivateIndex } from './sources/private-index.js';
export { compileNameFilter, globToRegExp } from './sources/name-patterns.js';
export { loadConfig } from './config/load.js';
export { initConfig } from './config/init.js';
export { STARTER_CONFIG } from './config/starter.js';
export type { ConfigValues } from './config/types.js';
export { ultranormalizeName } from './core/ultranormalize.js';
export { parseProjectList } from './core/project-list-parse.js';
export { fetchProjectList } from './registry/project-list.js';
export { defaultCacheDir } from './registry/project-list-cache.js';
export { loadProjectList, matchProjectList, findSimilar, type LoadedProjectList, type ProjectListMatch } from './ops/preflight.js';
export { proveSimpleIndex, isKnownIndex, NotAnIndexError, type IndexProof } from './ops/index-sanity.js';
export { renderRules, renderRulesProblems, RULE_FORMATS, CLIENT_PIN_FORMATS, type RuleFormat, type RenderRulesOptions } from './rules/render.js';
export { codeArtifactCommands, type CodeArtifactOptions } from './rules/codeartifact.js';
export type { PrivateIndex } from './rules/client-pins.js';
export { requestPathRegex, combinedRequestPathRegex } from './rules/regex.js';
export { nexusRoutingRule, nexusRuleProblems, type NexusRoutingRule } from './rules/nexus.js';
export { artifactoryExcludes, artifactoryExcludesPattern } from './rules/artifactory.js';
export { rulesDocument } from './rules/json.js';
export { auditIndexConfiguration, type AuditOptions } from './audit/audit.js';
export { formatReportText, formatReportJson, formatEffectiveText } from './audit/report.js';
export { effectiveLocations, projectDirectory, type EffectiveLocations, type EffectiveOptions, type InstallerLocations } from './audit/effective.js';
export { publicIndexMatcher, KNOWN_PUBLIC_INDEXES, type IsPublicIndex } from './audit/public-index.js';
export type { AuditReport, Finding } from './audit/types.js';
export { parseNewProjectsFeed, type FeedItem, type FeedParse } from './core/feed.js';
export { planPoll, namesDigest, type WatchState, type PollPlan } from './core/watch-poll.js';
export { pollOnce, type WatchRequest, type PollReport, type WatchOutcome, type WatchStatus } from './ops/watch.js';
export { fetchFeed, feedUrlFor } from './registry/feed.js';
export { readWatchState, writeWatchState, defaultStatePath } from './io/watch-state.js';
