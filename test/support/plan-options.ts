/** Planning options for tests that plan: the config's defaults, with a tag and a subject of their own. */
export const planOptions = {
  strategy: 'batch' as const,
  maxRequestBytes: 256 * 1024,
  status: 'closed' as const,
  tags: ['hs-import'],
  subjectTemplate: 'Chat with {customer}',
  partSubjectTemplate: '{subject} ({part}/{parts})',
};
