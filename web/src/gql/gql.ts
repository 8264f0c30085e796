/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      id\n      displayName\n    }\n  }\n": typeof types.UpdateProfileDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": typeof types.ChangePasswordDocument,
    "\n  query MySessions {\n    mySessions {\n      id\n      createdAt\n      lastUsedAt\n      expiresAt\n      client\n      address\n      aal\n      current\n    }\n  }\n": typeof types.MySessionsDocument,
    "\n  mutation EndSession($id: ID!) {\n    endSession(id: $id)\n  }\n": typeof types.EndSessionDocument,
    "\n  mutation EndOtherSessions {\n    endOtherSessions\n  }\n": typeof types.EndOtherSessionsDocument,
    "\n  query SecondFactor {\n    secondFactor {\n      totpEnrolled\n      recoveryCodesLeft\n      passkeyCount\n    }\n  }\n": typeof types.SecondFactorDocument,
    "\n  mutation StartTotpEnrollment {\n    startTotpEnrollment {\n      secret\n      otpauthUri\n    }\n  }\n": typeof types.StartTotpEnrollmentDocument,
    "\n  mutation ConfirmTotpEnrollment($code: String!) {\n    confirmTotpEnrollment(code: $code) {\n      codes\n    }\n  }\n": typeof types.ConfirmTotpEnrollmentDocument,
    "\n  mutation DisableTotp($code: String!) {\n    disableTotp(code: $code)\n  }\n": typeof types.DisableTotpDocument,
    "\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes {\n      codes\n    }\n  }\n": typeof types.RegenerateRecoveryCodesDocument,
    "\n  query Passkeys {\n    passkeys {\n      id\n      name\n      createdAt\n      lastUsedAt\n      backedUp\n    }\n  }\n": typeof types.PasskeysDocument,
    "\n  mutation StartPasskeyRegistration {\n    startPasskeyRegistration\n  }\n": typeof types.StartPasskeyRegistrationDocument,
    "\n  mutation FinishPasskeyRegistration($name: String!, $response: String!) {\n    finishPasskeyRegistration(name: $name, response: $response) {\n      id\n      name\n      createdAt\n      lastUsedAt\n      backedUp\n    }\n  }\n": typeof types.FinishPasskeyRegistrationDocument,
    "\n  mutation RenamePasskey($id: ID!, $name: String!) {\n    renamePasskey(id: $id, name: $name) {\n      id\n      name\n    }\n  }\n": typeof types.RenamePasskeyDocument,
    "\n  mutation RemovePasskey($id: ID!) {\n    removePasskey(id: $id)\n  }\n": typeof types.RemovePasskeyDocument,
    "\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      prefix\n      scopes\n      expiresAt\n      lastUsedAt\n      createdAt\n      revokedAt\n      honeyJarIds\n    }\n  }\n": typeof types.ApiKeysDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n      apiKey {\n        id\n        name\n      }\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id)\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  fragment PersonRow on User {\n    id\n    displayName\n    email\n    role\n    disabled\n    lastSignInAt\n    createdAt\n  }\n": typeof types.PersonRowFragmentDoc,
    "\n  query Users($filter: UserFilter, $first: Int, $after: String) {\n    users(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...PersonRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n": typeof types.UsersDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      ...PersonRow\n    }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation SetUserRole($id: ID!, $role: Role!) {\n    setUserRole(id: $id, role: $role) {\n      id\n      role\n    }\n  }\n": typeof types.SetUserRoleDocument,
    "\n  mutation DisableUser($id: ID!) {\n    disableUser(id: $id) {\n      id\n      disabled\n    }\n  }\n": typeof types.DisableUserDocument,
    "\n  mutation EnableUser($id: ID!) {\n    enableUser(id: $id) {\n      id\n      disabled\n    }\n  }\n": typeof types.EnableUserDocument,
    "\n  mutation DeleteUser($input: DeleteUserInput!) {\n    deleteUser(input: $input)\n  }\n": typeof types.DeleteUserDocument,
    "\n  mutation CreatePasswordResetLink($userId: ID!) {\n    createPasswordResetLink(userId: $userId) {\n      url\n      expiresAt\n    }\n  }\n": typeof types.CreatePasswordResetLinkDocument,
    "\n  query AuditEvents($filter: AuditFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      nodes {\n        id\n        seq\n        at\n        actorType\n        actorId\n        actor {\n          id\n          displayName\n          email\n        }\n        apiKeyId\n        action\n        targetType\n        targetId\n        outcome\n        requestId\n        clientAddress\n        details\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AuditEventsDocument,
    "\n  query VerifyAuditLog {\n    verifyAuditLog {\n      ok\n      checked\n      firstBrokenId\n      firstBrokenSeq\n      reason\n    }\n  }\n": typeof types.VerifyAuditLogDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword)\n  }\n": typeof types.ResetPasswordDocument,
    "\n  mutation Login($email: String!, $password: String!, $secondFactor: String) {\n    login(email: $email, password: $password, secondFactor: $secondFactor) {\n      token\n      expiresAt\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation StartPasskeySignIn($email: String) {\n    startPasskeySignIn(email: $email) {\n      challengeId\n      optionsJson\n    }\n  }\n": typeof types.StartPasskeySignInDocument,
    "\n  mutation FinishPasskeySignIn($challengeId: ID!, $response: String!) {\n    finishPasskeySignIn(challengeId: $challengeId, response: $response) {\n      token\n      expiresAt\n    }\n  }\n": typeof types.FinishPasskeySignInDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      displayName\n      role\n      createdAt\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation VerifySecondFactor($code: String!) {\n    verifySecondFactor(code: $code)\n  }\n": typeof types.VerifySecondFactorDocument,
    "\n  query Conversations($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      nodes {\n        id\n        title\n        updatedAt\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ConversationsDocument,
    "\n  fragment CitationFields on Citation {\n    index\n    chunkId\n    page\n    quote\n    document {\n      id\n      title\n    }\n    honeyJar {\n      id\n      name\n    }\n  }\n": typeof types.CitationFieldsFragmentDoc,
    "\n  fragment MessageFields on Message {\n    id\n    role\n    text\n    status\n    createdAt\n    provider\n    model\n    errorCode\n    citations {\n      ...CitationFields\n    }\n  }\n": typeof types.MessageFieldsFragmentDoc,
    "\n  query Conversation($id: ID!, $last: Int, $before: ID) {\n    conversation(id: $id) {\n      id\n      title\n      honeyJarIds\n      messageCount\n      messages(last: $last, before: $before) {\n        ...MessageFields\n      }\n    }\n  }\n": typeof types.ConversationDocument,
    "\n  subscription MessageStream($conversationId: ID!) {\n    messageStream(conversationId: $conversationId) {\n      __typename\n      ... on MessageDelta {\n        messageId\n        text\n      }\n      ... on MessageCitation {\n        messageId\n        index\n        citation {\n          ...CitationFields\n        }\n      }\n      ... on MessageSnapshot {\n        messageId\n        text\n        citations {\n          ...CitationFields\n        }\n      }\n      ... on MessageCompleted {\n        message {\n          ...MessageFields\n        }\n      }\n      ... on MessageFailed {\n        messageId\n        code\n        reason: message\n        requestId\n      }\n    }\n  }\n": typeof types.MessageStreamDocument,
    "\n  mutation StartConversation($title: String) {\n    startConversation(title: $title) {\n      id\n      title\n      updatedAt\n    }\n  }\n": typeof types.StartConversationDocument,
    "\n  mutation SendMessage($conversationId: ID!, $text: String!, $honeyJarIds: [ID!]) {\n    sendMessage(conversationId: $conversationId, text: $text, honeyJarIds: $honeyJarIds) {\n      id\n    }\n  }\n": typeof types.SendMessageDocument,
    "\n  mutation StopGenerating($messageId: ID!) {\n    stopGenerating(messageId: $messageId) {\n      id\n      status\n    }\n  }\n": typeof types.StopGeneratingDocument,
    "\n  mutation Regenerate($messageId: ID!) {\n    regenerate(messageId: $messageId) {\n      id\n      status\n    }\n  }\n": typeof types.RegenerateDocument,
    "\n  mutation RenameConversation($id: ID!, $title: String!) {\n    renameConversation(id: $id, title: $title) {\n      id\n      title\n    }\n  }\n": typeof types.RenameConversationDocument,
    "\n  mutation DeleteConversation($id: ID!) {\n    deleteConversation(id: $id)\n  }\n": typeof types.DeleteConversationDocument,
    "\n  query ExportConversation($id: ID!, $format: ConversationExportFormat!) {\n    exportConversation(id: $id, format: $format)\n  }\n": typeof types.ExportConversationDocument,
    "\n  query SystemStatus {\n    systemStatus {\n      status\n      checkedAt\n      components {\n        name\n        kind\n        up\n        latencyMs\n        detail\n      }\n      history {\n        component\n        kind\n        up\n        watched\n        detail\n        at\n      }\n    }\n  }\n": typeof types.SystemStatusDocument,
    "\n  fragment AlertFields on Alert {\n    id\n    severity\n    title\n    message\n    source\n    createdAt\n    state\n    count\n    lastSeenAt\n    acknowledgedAt\n    resolvedAt\n  }\n": typeof types.AlertFieldsFragmentDoc,
    "\n  query Alerts($filter: AlertFilter, $first: Int, $after: String) {\n    alerts(filter: $filter, first: $first, after: $after) {\n      nodes {\n        ...AlertFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AlertsDocument,
    "\n  subscription AlertRaised {\n    alertRaised {\n      ...AlertFields\n    }\n  }\n": typeof types.AlertRaisedDocument,
    "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      ...AlertFields\n    }\n  }\n": typeof types.AcknowledgeAlertDocument,
    "\n  mutation ResolveAlert($id: ID!) {\n    resolveAlert(id: $id) {\n      ...AlertFields\n    }\n  }\n": typeof types.ResolveAlertDocument,
    "\n  query PollenFilterStats($since: DateTime) {\n    pollenFilterStats {\n      since\n      records\n      bytes\n      totalRedactions\n      instances\n      redactions {\n        type\n        count\n      }\n      timeSeries(since: $since) {\n        minute\n        records\n        redactions {\n          type\n          count\n        }\n      }\n    }\n  }\n": typeof types.PollenFilterStatsDocument,
    "\n  query BeeaconLogs($filter: LogFilter, $first: Int, $after: String) {\n    logs(filter: $filter, first: $first, after: $after) {\n      nodes {\n        id\n        at\n        service\n        level\n        message\n        record\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.BeeaconLogsDocument,
    "\n  fragment OperationFigures on OperationHealth {\n    operation\n    operationType\n    requests\n    failed\n    errorRate\n    p50Seconds\n    p99Seconds\n  }\n": typeof types.OperationFiguresFragmentDoc,
    "\n  mutation BeeaconHealthReport($input: HealthReportInput) {\n    generateHealthReport(input: $input) {\n      id\n      createdAt\n      from\n      to\n      pdfUrl\n      components {\n        name\n        kind\n        up\n        uptimePercent\n        downtimeSeconds\n        unwatchedSeconds\n        outages\n      }\n      alerts {\n        raised\n        open\n        bySeverity {\n          severity\n          count\n        }\n      }\n      operationTypes {\n        ...OperationFigures\n      }\n      operations {\n        ...OperationFigures\n      }\n      ingestion {\n        documentsReady\n        documentsFailed\n      }\n      bee {\n        answers\n        tokens\n        people\n        messages\n      }\n      pollenFilter {\n        records\n        totalRedactions\n        documentFindings\n      }\n      signIns {\n        succeeded\n        failed\n        topFailingAddresses {\n          address\n          failures\n        }\n      }\n    }\n  }\n": typeof types.BeeaconHealthReportDocument,
    "\n  query BeeaconEventSummary($days: Int!) {\n    eventSummary(days: $days) {\n      since\n      counts {\n        day\n        type\n        events\n      }\n    }\n  }\n": typeof types.BeeaconEventSummaryDocument,
    "\n  query BeeaconIntegrations {\n    lokiStatus {\n      configured\n      url\n      reachable\n      detail\n      backlog\n      lastPushAt\n      shipped\n      dropped\n      lastError\n    }\n    grafanaStatus {\n      configured\n      url\n      reachable\n      version\n      database\n      detail\n      dashboards {\n        uid\n        title\n        file\n        present\n      }\n    }\n    observabilityConfig {\n      key\n      value\n      secret\n    }\n    alertRules {\n      name\n      enabled\n      condition\n      severity\n      openAlerts\n    }\n  }\n": typeof types.BeeaconIntegrationsDocument,
    "\n  query Document($id: ID!, $after: String) {\n    document(id: $id) {\n      id\n      title\n      fileType\n      size\n      processingStatus\n      processingError\n      chunkCount\n      createdAt\n      piiFindings {\n        type\n        count\n      }\n      honeyJar {\n        id\n        name\n      }\n      chunks(first: 100, after: $after) {\n        nodes {\n          id\n          ordinal\n          text\n          headingPath\n          page\n          slide\n          sheet\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.DocumentDocument,
    "\n  fragment JarDocumentFields on Document {\n    id\n    title\n    fileType\n    size\n    processingStatus\n    progress\n    processingError\n    chunkCount\n    createdAt\n    piiFindings {\n      type\n      count\n    }\n  }\n": typeof types.JarDocumentFieldsFragmentDoc,
    "\n  mutation CreateUpload($honeyJarId: ID!, $filename: String!, $contentType: String, $size: Float) {\n    createUpload(honeyJarId: $honeyJarId, filename: $filename, contentType: $contentType, size: $size) {\n      uploadUrl\n      maxBytes\n      limit\n      reviewRequired\n    }\n  }\n": typeof types.CreateUploadDocument,
    "\n  subscription DocumentStatusChanged($honeyJarId: ID!) {\n    documentStatusChanged(honeyJarId: $honeyJarId) {\n      ...JarDocumentFields\n    }\n  }\n": typeof types.DocumentStatusChangedDocument,
    "\n  mutation ReprocessDocument($id: ID!) {\n    reprocessDocument(id: $id) {\n      ...JarDocumentFields\n    }\n  }\n": typeof types.ReprocessDocumentDocument,
    "\n  mutation DeleteDocument($id: ID!) {\n    deleteDocument(id: $id)\n  }\n": typeof types.DeleteDocumentDocument,
    "\n  mutation ApproveDocument($id: ID!) {\n    approveDocument(id: $id) {\n      ...JarDocumentFields\n    }\n  }\n": typeof types.ApproveDocumentDocument,
    "\n  mutation RejectDocument($id: ID!) {\n    rejectDocument(id: $id)\n  }\n": typeof types.RejectDocumentDocument,
    "\n  fragment ReviewProposalFields on Document {\n    id\n    title\n    fileType\n    size\n    createdAt\n    honeyJar {\n      id\n      name\n    }\n    uploadedBy {\n      id\n      displayName\n    }\n  }\n": typeof types.ReviewProposalFieldsFragmentDoc,
    "\n  query DocumentReviewQueue($after: String) {\n    documentReviewQueue(first: 50, after: $after) {\n      nodes {\n        ...ReviewProposalFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n": typeof types.DocumentReviewQueueDocument,
    "\n  query HoneyJars($first: Int, $after: String, $filter: HoneyJarFilter) {\n    honeyJars(first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        name\n        description\n        type\n        status\n        tags\n        createdAt\n        documentCount\n        owner {\n          id\n          displayName\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.HoneyJarsDocument,
    "\n  query HoneyJar($id: ID!, $first: Int, $after: String) {\n    honeyJar(id: $id) {\n      id\n      name\n      description\n      type\n      status\n      tags\n      createdAt\n      updatedAt\n      owner {\n        id\n        displayName\n      }\n      documents(first: $first, after: $after) {\n        nodes {\n          ...JarDocumentFields\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        totalCount\n      }\n    }\n  }\n": typeof types.HoneyJarDocument,
    "\n  mutation CreateHoneyJar($input: CreateHoneyJarInput!) {\n    createHoneyJar(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CreateHoneyJarDocument,
    "\n  mutation UpdateHoneyJar($id: ID!, $input: UpdateHoneyJarInput!) {\n    updateHoneyJar(id: $id, input: $input) {\n      id\n      name\n      description\n      type\n      status\n      tags\n      updatedAt\n    }\n  }\n": typeof types.UpdateHoneyJarDocument,
    "\n  mutation DeleteHoneyJar($id: ID!) {\n    deleteHoneyJar(id: $id)\n  }\n": typeof types.DeleteHoneyJarDocument,
    "\n  fragment JarMemberPage on HoneyJarMemberConnection {\n    nodes {\n      id\n      displayName\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n": typeof types.JarMemberPageFragmentDoc,
    "\n  fragment JarMembersFields on HoneyJar {\n    id\n    members(first: 100) {\n      ...JarMemberPage\n    }\n  }\n": typeof types.JarMembersFieldsFragmentDoc,
    "\n  query HoneyJarMembers($id: ID!, $after: String) {\n    honeyJar(id: $id) {\n      id\n      members(first: 100, after: $after) {\n        ...JarMemberPage\n      }\n    }\n  }\n": typeof types.HoneyJarMembersDocument,
    "\n  mutation AddHoneyJarMember($honeyJarId: ID!, $userId: ID!) {\n    addHoneyJarMember(honeyJarId: $honeyJarId, userId: $userId) {\n      ...JarMembersFields\n    }\n  }\n": typeof types.AddHoneyJarMemberDocument,
    "\n  mutation RemoveHoneyJarMember($honeyJarId: ID!, $userId: ID!) {\n    removeHoneyJarMember(honeyJarId: $honeyJarId, userId: $userId) {\n      ...JarMembersFields\n    }\n  }\n": typeof types.RemoveHoneyJarMemberDocument,
    "\n  query SearchPeople($query: String!, $first: Int) {\n    searchPeople(query: $query, first: $first) {\n      id\n      displayName\n      email\n    }\n  }\n": typeof types.SearchPeopleDocument,
    "\n  query Search($query: String!, $honeyJarIds: [ID!], $first: Int) {\n    search(query: $query, honeyJarIds: $honeyJarIds, first: $first) {\n      score\n      text\n      highlights\n      page\n      headingPath\n      chunkId\n      document {\n        id\n        title\n        fileType\n      }\n      honeyJar {\n        id\n        name\n      }\n    }\n    searchCorrection(query: $query, honeyJarIds: $honeyJarIds) {\n      query\n      words {\n        searched\n      }\n    }\n  }\n": typeof types.SearchDocument,
    "\n  query JarChoices($first: Int, $after: String, $filter: HoneyJarFilter) {\n    honeyJars(first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        name\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.JarChoicesDocument,
};
const documents: Documents = {
    "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      id\n      displayName\n    }\n  }\n": types.UpdateProfileDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": types.ChangePasswordDocument,
    "\n  query MySessions {\n    mySessions {\n      id\n      createdAt\n      lastUsedAt\n      expiresAt\n      client\n      address\n      aal\n      current\n    }\n  }\n": types.MySessionsDocument,
    "\n  mutation EndSession($id: ID!) {\n    endSession(id: $id)\n  }\n": types.EndSessionDocument,
    "\n  mutation EndOtherSessions {\n    endOtherSessions\n  }\n": types.EndOtherSessionsDocument,
    "\n  query SecondFactor {\n    secondFactor {\n      totpEnrolled\n      recoveryCodesLeft\n      passkeyCount\n    }\n  }\n": types.SecondFactorDocument,
    "\n  mutation StartTotpEnrollment {\n    startTotpEnrollment {\n      secret\n      otpauthUri\n    }\n  }\n": types.StartTotpEnrollmentDocument,
    "\n  mutation ConfirmTotpEnrollment($code: String!) {\n    confirmTotpEnrollment(code: $code) {\n      codes\n    }\n  }\n": types.ConfirmTotpEnrollmentDocument,
    "\n  mutation DisableTotp($code: String!) {\n    disableTotp(code: $code)\n  }\n": types.DisableTotpDocument,
    "\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes {\n      codes\n    }\n  }\n": types.RegenerateRecoveryCodesDocument,
    "\n  query Passkeys {\n    passkeys {\n      id\n      name\n      createdAt\n      lastUsedAt\n      backedUp\n    }\n  }\n": types.PasskeysDocument,
    "\n  mutation StartPasskeyRegistration {\n    startPasskeyRegistration\n  }\n": types.StartPasskeyRegistrationDocument,
    "\n  mutation FinishPasskeyRegistration($name: String!, $response: String!) {\n    finishPasskeyRegistration(name: $name, response: $response) {\n      id\n      name\n      createdAt\n      lastUsedAt\n      backedUp\n    }\n  }\n": types.FinishPasskeyRegistrationDocument,
    "\n  mutation RenamePasskey($id: ID!, $name: String!) {\n    renamePasskey(id: $id, name: $name) {\n      id\n      name\n    }\n  }\n": types.RenamePasskeyDocument,
    "\n  mutation RemovePasskey($id: ID!) {\n    removePasskey(id: $id)\n  }\n": types.RemovePasskeyDocument,
    "\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      prefix\n      scopes\n      expiresAt\n      lastUsedAt\n      createdAt\n      revokedAt\n      honeyJarIds\n    }\n  }\n": types.ApiKeysDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n      apiKey {\n        id\n        name\n      }\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id)\n  }\n": types.RevokeApiKeyDocument,
    "\n  fragment PersonRow on User {\n    id\n    displayName\n    email\n    role\n    disabled\n    lastSignInAt\n    createdAt\n  }\n": types.PersonRowFragmentDoc,
    "\n  query Users($filter: UserFilter, $first: Int, $after: String) {\n    users(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...PersonRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n": types.UsersDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      ...PersonRow\n    }\n  }\n": types.CreateUserDocument,
    "\n  mutation SetUserRole($id: ID!, $role: Role!) {\n    setUserRole(id: $id, role: $role) {\n      id\n      role\n    }\n  }\n": types.SetUserRoleDocument,
    "\n  mutation DisableUser($id: ID!) {\n    disableUser(id: $id) {\n      id\n      disabled\n    }\n  }\n": types.DisableUserDocument,
    "\n  mutation EnableUser($id: ID!) {\n    enableUser(id: $id) {\n      id\n      disabled\n    }\n  }\n": types.EnableUserDocument,
    "\n  mutation DeleteUser($input: DeleteUserInput!) {\n    deleteUser(input: $input)\n  }\n": types.DeleteUserDocument,
    "\n  mutation CreatePasswordResetLink($userId: ID!) {\n    createPasswordResetLink(userId: $userId) {\n      url\n      expiresAt\n    }\n  }\n": types.CreatePasswordResetLinkDocument,
    "\n  query AuditEvents($filter: AuditFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      nodes {\n        id\n        seq\n        at\n        actorType\n        actorId\n        actor {\n          id\n          displayName\n          email\n        }\n        apiKeyId\n        action\n        targetType\n        targetId\n        outcome\n        requestId\n        clientAddress\n        details\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AuditEventsDocument,
    "\n  query VerifyAuditLog {\n    verifyAuditLog {\n      ok\n      checked\n      firstBrokenId\n      firstBrokenSeq\n      reason\n    }\n  }\n": types.VerifyAuditLogDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword)\n  }\n": types.ResetPasswordDocument,
    "\n  mutation Login($email: String!, $password: String!, $secondFactor: String) {\n    login(email: $email, password: $password, secondFactor: $secondFactor) {\n      token\n      expiresAt\n    }\n  }\n": types.LoginDocument,
    "\n  mutation StartPasskeySignIn($email: String) {\n    startPasskeySignIn(email: $email) {\n      challengeId\n      optionsJson\n    }\n  }\n": types.StartPasskeySignInDocument,
    "\n  mutation FinishPasskeySignIn($challengeId: ID!, $response: String!) {\n    finishPasskeySignIn(challengeId: $challengeId, response: $response) {\n      token\n      expiresAt\n    }\n  }\n": types.FinishPasskeySignInDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      displayName\n      role\n      createdAt\n    }\n  }\n": types.MeDocument,
    "\n  mutation VerifySecondFactor($code: String!) {\n    verifySecondFactor(code: $code)\n  }\n": types.VerifySecondFactorDocument,
    "\n  query Conversations($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      nodes {\n        id\n        title\n        updatedAt\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ConversationsDocument,
    "\n  fragment CitationFields on Citation {\n    index\n    chunkId\n    page\n    quote\n    document {\n      id\n      title\n    }\n    honeyJar {\n      id\n      name\n    }\n  }\n": types.CitationFieldsFragmentDoc,
    "\n  fragment MessageFields on Message {\n    id\n    role\n    text\n    status\n    createdAt\n    provider\n    model\n    errorCode\n    citations {\n      ...CitationFields\n    }\n  }\n": types.MessageFieldsFragmentDoc,
    "\n  query Conversation($id: ID!, $last: Int, $before: ID) {\n    conversation(id: $id) {\n      id\n      title\n      honeyJarIds\n      messageCount\n      messages(last: $last, before: $before) {\n        ...MessageFields\n      }\n    }\n  }\n": types.ConversationDocument,
    "\n  subscription MessageStream($conversationId: ID!) {\n    messageStream(conversationId: $conversationId) {\n      __typename\n      ... on MessageDelta {\n        messageId\n        text\n      }\n      ... on MessageCitation {\n        messageId\n        index\n        citation {\n          ...CitationFields\n        }\n      }\n      ... on MessageSnapshot {\n        messageId\n        text\n        citations {\n          ...CitationFields\n        }\n      }\n      ... on MessageCompleted {\n        message {\n          ...MessageFields\n        }\n      }\n      ... on MessageFailed {\n        messageId\n        code\n        reason: message\n        requestId\n      }\n    }\n  }\n": types.MessageStreamDocument,
    "\n  mutation StartConversation($title: String) {\n    startConversation(title: $title) {\n      id\n      title\n      updatedAt\n    }\n  }\n": types.StartConversationDocument,
    "\n  mutation SendMessage($conversationId: ID!, $text: String!, $honeyJarIds: [ID!]) {\n    sendMessage(conversationId: $conversationId, text: $text, honeyJarIds: $honeyJarIds) {\n      id\n    }\n  }\n": types.SendMessageDocument,
    "\n  mutation StopGenerating($messageId: ID!) {\n    stopGenerating(messageId: $messageId) {\n      id\n      status\n    }\n  }\n": types.StopGeneratingDocument,
    "\n  mutation Regenerate($messageId: ID!) {\n    regenerate(messageId: $messageId) {\n      id\n      status\n    }\n  }\n": types.RegenerateDocument,
    "\n  mutation RenameConversation($id: ID!, $title: String!) {\n    renameConversation(id: $id, title: $title) {\n      id\n      title\n    }\n  }\n": types.RenameConversationDocument,
    "\n  mutation DeleteConversation($id: ID!) {\n    deleteConversation(id: $id)\n  }\n": types.DeleteConversationDocument,
    "\n  query ExportConversation($id: ID!, $format: ConversationExportFormat!) {\n    exportConversation(id: $id, format: $format)\n  }\n": types.ExportConversationDocument,
    "\n  query SystemStatus {\n    systemStatus {\n      status\n      checkedAt\n      components {\n        name\n        kind\n        up\n        latencyMs\n        detail\n      }\n      history {\n        component\n        kind\n        up\n        watched\n        detail\n        at\n      }\n    }\n  }\n": types.SystemStatusDocument,
    "\n  fragment AlertFields on Alert {\n    id\n    severity\n    title\n    message\n    source\n    createdAt\n    state\n    count\n    lastSeenAt\n    acknowledgedAt\n    resolvedAt\n  }\n": types.AlertFieldsFragmentDoc,
    "\n  query Alerts($filter: AlertFilter, $first: Int, $after: String) {\n    alerts(filter: $filter, first: $first, after: $after) {\n      nodes {\n        ...AlertFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AlertsDocument,
    "\n  subscription AlertRaised {\n    alertRaised {\n      ...AlertFields\n    }\n  }\n": types.AlertRaisedDocument,
    "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      ...AlertFields\n    }\n  }\n": types.AcknowledgeAlertDocument,
    "\n  mutation ResolveAlert($id: ID!) {\n    resolveAlert(id: $id) {\n      ...AlertFields\n    }\n  }\n": types.ResolveAlertDocument,
    "\n  query PollenFilterStats($since: DateTime) {\n    pollenFilterStats {\n      since\n      records\n      bytes\n      totalRedactions\n      instances\n      redactions {\n        type\n        count\n      }\n      timeSeries(since: $since) {\n        minute\n        records\n        redactions {\n          type\n          count\n        }\n      }\n    }\n  }\n": types.PollenFilterStatsDocument,
    "\n  query BeeaconLogs($filter: LogFilter, $first: Int, $after: String) {\n    logs(filter: $filter, first: $first, after: $after) {\n      nodes {\n        id\n        at\n        service\n        level\n        message\n        record\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.BeeaconLogsDocument,
    "\n  fragment OperationFigures on OperationHealth {\n    operation\n    operationType\n    requests\n    failed\n    errorRate\n    p50Seconds\n    p99Seconds\n  }\n": types.OperationFiguresFragmentDoc,
    "\n  mutation BeeaconHealthReport($input: HealthReportInput) {\n    generateHealthReport(input: $input) {\n      id\n      createdAt\n      from\n      to\n      pdfUrl\n      components {\n        name\n        kind\n        up\n        uptimePercent\n        downtimeSeconds\n        unwatchedSeconds\n        outages\n      }\n      alerts {\n        raised\n        open\n        bySeverity {\n          severity\n          count\n        }\n      }\n      operationTypes {\n        ...OperationFigures\n      }\n      operations {\n        ...OperationFigures\n      }\n      ingestion {\n        documentsReady\n        documentsFailed\n      }\n      bee {\n        answers\n        tokens\n        people\n        messages\n      }\n      pollenFilter {\n        records\n        totalRedactions\n        documentFindings\n      }\n      signIns {\n        succeeded\n        failed\n        topFailingAddresses {\n          address\n          failures\n        }\n      }\n    }\n  }\n": types.BeeaconHealthReportDocument,
    "\n  query BeeaconEventSummary($days: Int!) {\n    eventSummary(days: $days) {\n      since\n      counts {\n        day\n        type\n        events\n      }\n    }\n  }\n": types.BeeaconEventSummaryDocument,
    "\n  query BeeaconIntegrations {\n    lokiStatus {\n      configured\n      url\n      reachable\n      detail\n      backlog\n      lastPushAt\n      shipped\n      dropped\n      lastError\n    }\n    grafanaStatus {\n      configured\n      url\n      reachable\n      version\n      database\n      detail\n      dashboards {\n        uid\n        title\n        file\n        present\n      }\n    }\n    observabilityConfig {\n      key\n      value\n      secret\n    }\n    alertRules {\n      name\n      enabled\n      condition\n      severity\n      openAlerts\n    }\n  }\n": types.BeeaconIntegrationsDocument,
    "\n  query Document($id: ID!, $after: String) {\n    document(id: $id) {\n      id\n      title\n      fileType\n      size\n      processingStatus\n      processingError\n      chunkCount\n      createdAt\n      piiFindings {\n        type\n        count\n      }\n      honeyJar {\n        id\n        name\n      }\n      chunks(first: 100, after: $after) {\n        nodes {\n          id\n          ordinal\n          text\n          headingPath\n          page\n          slide\n          sheet\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.DocumentDocument,
    "\n  fragment JarDocumentFields on Document {\n    id\n    title\n    fileType\n    size\n    processingStatus\n    progress\n    processingError\n    chunkCount\n    createdAt\n    piiFindings {\n      type\n      count\n    }\n  }\n": types.JarDocumentFieldsFragmentDoc,
    "\n  mutation CreateUpload($honeyJarId: ID!, $filename: String!, $contentType: String, $size: Float) {\n    createUpload(honeyJarId: $honeyJarId, filename: $filename, contentType: $contentType, size: $size) {\n      uploadUrl\n      maxBytes\n      limit\n      reviewRequired\n    }\n  }\n": types.CreateUploadDocument,
    "\n  subscription DocumentStatusChanged($honeyJarId: ID!) {\n    documentStatusChanged(honeyJarId: $honeyJarId) {\n      ...JarDocumentFields\n    }\n  }\n": types.DocumentStatusChangedDocument,
    "\n  mutation ReprocessDocument($id: ID!) {\n    reprocessDocument(id: $id) {\n      ...JarDocumentFields\n    }\n  }\n": types.ReprocessDocumentDocument,
    "\n  mutation DeleteDocument($id: ID!) {\n    deleteDocument(id: $id)\n  }\n": types.DeleteDocumentDocument,
    "\n  mutation ApproveDocument($id: ID!) {\n    approveDocument(id: $id) {\n      ...JarDocumentFields\n    }\n  }\n": types.ApproveDocumentDocument,
    "\n  mutation RejectDocument($id: ID!) {\n    rejectDocument(id: $id)\n  }\n": types.RejectDocumentDocument,
    "\n  fragment ReviewProposalFields on Document {\n    id\n    title\n    fileType\n    size\n    createdAt\n    honeyJar {\n      id\n      name\n    }\n    uploadedBy {\n      id\n      displayName\n    }\n  }\n": types.ReviewProposalFieldsFragmentDoc,
    "\n  query DocumentReviewQueue($after: String) {\n    documentReviewQueue(first: 50, after: $after) {\n      nodes {\n        ...ReviewProposalFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n": types.DocumentReviewQueueDocument,
    "\n  query HoneyJars($first: Int, $after: String, $filter: HoneyJarFilter) {\n    honeyJars(first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        name\n        description\n        type\n        status\n        tags\n        createdAt\n        documentCount\n        owner {\n          id\n          displayName\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.HoneyJarsDocument,
    "\n  query HoneyJar($id: ID!, $first: Int, $after: String) {\n    honeyJar(id: $id) {\n      id\n      name\n      description\n      type\n      status\n      tags\n      createdAt\n      updatedAt\n      owner {\n        id\n        displayName\n      }\n      documents(first: $first, after: $after) {\n        nodes {\n          ...JarDocumentFields\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        totalCount\n      }\n    }\n  }\n": types.HoneyJarDocument,
    "\n  mutation CreateHoneyJar($input: CreateHoneyJarInput!) {\n    createHoneyJar(input: $input) {\n      id\n      name\n    }\n  }\n": types.CreateHoneyJarDocument,
    "\n  mutation UpdateHoneyJar($id: ID!, $input: UpdateHoneyJarInput!) {\n    updateHoneyJar(id: $id, input: $input) {\n      id\n      name\n      description\n      type\n      status\n      tags\n      updatedAt\n    }\n  }\n": types.UpdateHoneyJarDocument,
    "\n  mutation DeleteHoneyJar($id: ID!) {\n    deleteHoneyJar(id: $id)\n  }\n": types.DeleteHoneyJarDocument,
    "\n  fragment JarMemberPage on HoneyJarMemberConnection {\n    nodes {\n      id\n      displayName\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n": types.JarMemberPageFragmentDoc,
    "\n  fragment JarMembersFields on HoneyJar {\n    id\n    members(first: 100) {\n      ...JarMemberPage\n    }\n  }\n": types.JarMembersFieldsFragmentDoc,
    "\n  query HoneyJarMembers($id: ID!, $after: String) {\n    honeyJar(id: $id) {\n      id\n      members(first: 100, after: $after) {\n        ...JarMemberPage\n      }\n    }\n  }\n": types.HoneyJarMembersDocument,
    "\n  mutation AddHoneyJarMember($honeyJarId: ID!, $userId: ID!) {\n    addHoneyJarMember(honeyJarId: $honeyJarId, userId: $userId) {\n      ...JarMembersFields\n    }\n  }\n": types.AddHoneyJarMemberDocument,
    "\n  mutation RemoveHoneyJarMember($honeyJarId: ID!, $userId: ID!) {\n    removeHoneyJarMember(honeyJarId: $honeyJarId, userId: $userId) {\n      ...JarMembersFields\n    }\n  }\n": types.RemoveHoneyJarMemberDocument,
    "\n  query SearchPeople($query: String!, $first: Int) {\n    searchPeople(query: $query, first: $first) {\n      id\n      displayName\n      email\n    }\n  }\n": types.SearchPeopleDocument,
    "\n  query Search($query: String!, $honeyJarIds: [ID!], $first: Int) {\n    search(query: $query, honeyJarIds: $honeyJarIds, first: $first) {\n      score\n      text\n      highlights\n      page\n      headingPath\n      chunkId\n      document {\n        id\n        title\n        fileType\n      }\n      honeyJar {\n        id\n        name\n      }\n    }\n    searchCorrection(query: $query, honeyJarIds: $honeyJarIds) {\n      query\n      words {\n        searched\n      }\n    }\n  }\n": types.SearchDocument,
    "\n  query JarChoices($first: Int, $after: String, $filter: HoneyJarFilter) {\n    honeyJars(first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        name\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.JarChoicesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      id\n      displayName\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      id\n      displayName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"): (typeof documents)["\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySessions {\n    mySessions {\n      id\n      createdAt\n      lastUsedAt\n      expiresAt\n      client\n      address\n      aal\n      current\n    }\n  }\n"): (typeof documents)["\n  query MySessions {\n    mySessions {\n      id\n      createdAt\n      lastUsedAt\n      expiresAt\n      client\n      address\n      aal\n      current\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndSession($id: ID!) {\n    endSession(id: $id)\n  }\n"): (typeof documents)["\n  mutation EndSession($id: ID!) {\n    endSession(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndOtherSessions {\n    endOtherSessions\n  }\n"): (typeof documents)["\n  mutation EndOtherSessions {\n    endOtherSessions\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecondFactor {\n    secondFactor {\n      totpEnrolled\n      recoveryCodesLeft\n      passkeyCount\n    }\n  }\n"): (typeof documents)["\n  query SecondFactor {\n    secondFactor {\n      totpEnrolled\n      recoveryCodesLeft\n      passkeyCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartTotpEnrollment {\n    startTotpEnrollment {\n      secret\n      otpauthUri\n    }\n  }\n"): (typeof documents)["\n  mutation StartTotpEnrollment {\n    startTotpEnrollment {\n      secret\n      otpauthUri\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmTotpEnrollment($code: String!) {\n    confirmTotpEnrollment(code: $code) {\n      codes\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmTotpEnrollment($code: String!) {\n    confirmTotpEnrollment(code: $code) {\n      codes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableTotp($code: String!) {\n    disableTotp(code: $code)\n  }\n"): (typeof documents)["\n  mutation DisableTotp($code: String!) {\n    disableTotp(code: $code)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes {\n      codes\n    }\n  }\n"): (typeof documents)["\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes {\n      codes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Passkeys {\n    passkeys {\n      id\n      name\n      createdAt\n      lastUsedAt\n      backedUp\n    }\n  }\n"): (typeof documents)["\n  query Passkeys {\n    passkeys {\n      id\n      name\n      createdAt\n      lastUsedAt\n      backedUp\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartPasskeyRegistration {\n    startPasskeyRegistration\n  }\n"): (typeof documents)["\n  mutation StartPasskeyRegistration {\n    startPasskeyRegistration\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FinishPasskeyRegistration($name: String!, $response: String!) {\n    finishPasskeyRegistration(name: $name, response: $response) {\n      id\n      name\n      createdAt\n      lastUsedAt\n      backedUp\n    }\n  }\n"): (typeof documents)["\n  mutation FinishPasskeyRegistration($name: String!, $response: String!) {\n    finishPasskeyRegistration(name: $name, response: $response) {\n      id\n      name\n      createdAt\n      lastUsedAt\n      backedUp\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenamePasskey($id: ID!, $name: String!) {\n    renamePasskey(id: $id, name: $name) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation RenamePasskey($id: ID!, $name: String!) {\n    renamePasskey(id: $id, name: $name) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemovePasskey($id: ID!) {\n    removePasskey(id: $id)\n  }\n"): (typeof documents)["\n  mutation RemovePasskey($id: ID!) {\n    removePasskey(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      prefix\n      scopes\n      expiresAt\n      lastUsedAt\n      createdAt\n      revokedAt\n      honeyJarIds\n    }\n  }\n"): (typeof documents)["\n  query ApiKeys {\n    apiKeys {\n      id\n      name\n      prefix\n      scopes\n      expiresAt\n      lastUsedAt\n      createdAt\n      revokedAt\n      honeyJarIds\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n      apiKey {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n      apiKey {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id)\n  }\n"): (typeof documents)["\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PersonRow on User {\n    id\n    displayName\n    email\n    role\n    disabled\n    lastSignInAt\n    createdAt\n  }\n"): (typeof documents)["\n  fragment PersonRow on User {\n    id\n    displayName\n    email\n    role\n    disabled\n    lastSignInAt\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users($filter: UserFilter, $first: Int, $after: String) {\n    users(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...PersonRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n"): (typeof documents)["\n  query Users($filter: UserFilter, $first: Int, $after: String) {\n    users(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...PersonRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      ...PersonRow\n    }\n  }\n"): (typeof documents)["\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      ...PersonRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserRole($id: ID!, $role: Role!) {\n    setUserRole(id: $id, role: $role) {\n      id\n      role\n    }\n  }\n"): (typeof documents)["\n  mutation SetUserRole($id: ID!, $role: Role!) {\n    setUserRole(id: $id, role: $role) {\n      id\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableUser($id: ID!) {\n    disableUser(id: $id) {\n      id\n      disabled\n    }\n  }\n"): (typeof documents)["\n  mutation DisableUser($id: ID!) {\n    disableUser(id: $id) {\n      id\n      disabled\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnableUser($id: ID!) {\n    enableUser(id: $id) {\n      id\n      disabled\n    }\n  }\n"): (typeof documents)["\n  mutation EnableUser($id: ID!) {\n    enableUser(id: $id) {\n      id\n      disabled\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteUser($input: DeleteUserInput!) {\n    deleteUser(input: $input)\n  }\n"): (typeof documents)["\n  mutation DeleteUser($input: DeleteUserInput!) {\n    deleteUser(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreatePasswordResetLink($userId: ID!) {\n    createPasswordResetLink(userId: $userId) {\n      url\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation CreatePasswordResetLink($userId: ID!) {\n    createPasswordResetLink(userId: $userId) {\n      url\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEvents($filter: AuditFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      nodes {\n        id\n        seq\n        at\n        actorType\n        actorId\n        actor {\n          id\n          displayName\n          email\n        }\n        apiKeyId\n        action\n        targetType\n        targetId\n        outcome\n        requestId\n        clientAddress\n        details\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditEvents($filter: AuditFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      nodes {\n        id\n        seq\n        at\n        actorType\n        actorId\n        actor {\n          id\n          displayName\n          email\n        }\n        apiKeyId\n        action\n        targetType\n        targetId\n        outcome\n        requestId\n        clientAddress\n        details\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VerifyAuditLog {\n    verifyAuditLog {\n      ok\n      checked\n      firstBrokenId\n      firstBrokenSeq\n      reason\n    }\n  }\n"): (typeof documents)["\n  query VerifyAuditLog {\n    verifyAuditLog {\n      ok\n      checked\n      firstBrokenId\n      firstBrokenSeq\n      reason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword)\n  }\n"): (typeof documents)["\n  mutation ResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!, $secondFactor: String) {\n    login(email: $email, password: $password, secondFactor: $secondFactor) {\n      token\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!, $secondFactor: String) {\n    login(email: $email, password: $password, secondFactor: $secondFactor) {\n      token\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartPasskeySignIn($email: String) {\n    startPasskeySignIn(email: $email) {\n      challengeId\n      optionsJson\n    }\n  }\n"): (typeof documents)["\n  mutation StartPasskeySignIn($email: String) {\n    startPasskeySignIn(email: $email) {\n      challengeId\n      optionsJson\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FinishPasskeySignIn($challengeId: ID!, $response: String!) {\n    finishPasskeySignIn(challengeId: $challengeId, response: $response) {\n      token\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation FinishPasskeySignIn($challengeId: ID!, $response: String!) {\n    finishPasskeySignIn(challengeId: $challengeId, response: $response) {\n      token\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      email\n      displayName\n      role\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      email\n      displayName\n      role\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifySecondFactor($code: String!) {\n    verifySecondFactor(code: $code)\n  }\n"): (typeof documents)["\n  mutation VerifySecondFactor($code: String!) {\n    verifySecondFactor(code: $code)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Conversations($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      nodes {\n        id\n        title\n        updatedAt\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Conversations($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      nodes {\n        id\n        title\n        updatedAt\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CitationFields on Citation {\n    index\n    chunkId\n    page\n    quote\n    document {\n      id\n      title\n    }\n    honeyJar {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment CitationFields on Citation {\n    index\n    chunkId\n    page\n    quote\n    document {\n      id\n      title\n    }\n    honeyJar {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageFields on Message {\n    id\n    role\n    text\n    status\n    createdAt\n    provider\n    model\n    errorCode\n    citations {\n      ...CitationFields\n    }\n  }\n"): (typeof documents)["\n  fragment MessageFields on Message {\n    id\n    role\n    text\n    status\n    createdAt\n    provider\n    model\n    errorCode\n    citations {\n      ...CitationFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Conversation($id: ID!, $last: Int, $before: ID) {\n    conversation(id: $id) {\n      id\n      title\n      honeyJarIds\n      messageCount\n      messages(last: $last, before: $before) {\n        ...MessageFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query Conversation($id: ID!, $last: Int, $before: ID) {\n    conversation(id: $id) {\n      id\n      title\n      honeyJarIds\n      messageCount\n      messages(last: $last, before: $before) {\n        ...MessageFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MessageStream($conversationId: ID!) {\n    messageStream(conversationId: $conversationId) {\n      __typename\n      ... on MessageDelta {\n        messageId\n        text\n      }\n      ... on MessageCitation {\n        messageId\n        index\n        citation {\n          ...CitationFields\n        }\n      }\n      ... on MessageSnapshot {\n        messageId\n        text\n        citations {\n          ...CitationFields\n        }\n      }\n      ... on MessageCompleted {\n        message {\n          ...MessageFields\n        }\n      }\n      ... on MessageFailed {\n        messageId\n        code\n        reason: message\n        requestId\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription MessageStream($conversationId: ID!) {\n    messageStream(conversationId: $conversationId) {\n      __typename\n      ... on MessageDelta {\n        messageId\n        text\n      }\n      ... on MessageCitation {\n        messageId\n        index\n        citation {\n          ...CitationFields\n        }\n      }\n      ... on MessageSnapshot {\n        messageId\n        text\n        citations {\n          ...CitationFields\n        }\n      }\n      ... on MessageCompleted {\n        message {\n          ...MessageFields\n        }\n      }\n      ... on MessageFailed {\n        messageId\n        code\n        reason: message\n        requestId\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartConversation($title: String) {\n    startConversation(title: $title) {\n      id\n      title\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  mutation StartConversation($title: String) {\n    startConversation(title: $title) {\n      id\n      title\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage($conversationId: ID!, $text: String!, $honeyJarIds: [ID!]) {\n    sendMessage(conversationId: $conversationId, text: $text, honeyJarIds: $honeyJarIds) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation SendMessage($conversationId: ID!, $text: String!, $honeyJarIds: [ID!]) {\n    sendMessage(conversationId: $conversationId, text: $text, honeyJarIds: $honeyJarIds) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StopGenerating($messageId: ID!) {\n    stopGenerating(messageId: $messageId) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation StopGenerating($messageId: ID!) {\n    stopGenerating(messageId: $messageId) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Regenerate($messageId: ID!) {\n    regenerate(messageId: $messageId) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation Regenerate($messageId: ID!) {\n    regenerate(messageId: $messageId) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenameConversation($id: ID!, $title: String!) {\n    renameConversation(id: $id, title: $title) {\n      id\n      title\n    }\n  }\n"): (typeof documents)["\n  mutation RenameConversation($id: ID!, $title: String!) {\n    renameConversation(id: $id, title: $title) {\n      id\n      title\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteConversation($id: ID!) {\n    deleteConversation(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteConversation($id: ID!) {\n    deleteConversation(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportConversation($id: ID!, $format: ConversationExportFormat!) {\n    exportConversation(id: $id, format: $format)\n  }\n"): (typeof documents)["\n  query ExportConversation($id: ID!, $format: ConversationExportFormat!) {\n    exportConversation(id: $id, format: $format)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SystemStatus {\n    systemStatus {\n      status\n      checkedAt\n      components {\n        name\n        kind\n        up\n        latencyMs\n        detail\n      }\n      history {\n        component\n        kind\n        up\n        watched\n        detail\n        at\n      }\n    }\n  }\n"): (typeof documents)["\n  query SystemStatus {\n    systemStatus {\n      status\n      checkedAt\n      components {\n        name\n        kind\n        up\n        latencyMs\n        detail\n      }\n      history {\n        component\n        kind\n        up\n        watched\n        detail\n        at\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertFields on Alert {\n    id\n    severity\n    title\n    message\n    source\n    createdAt\n    state\n    count\n    lastSeenAt\n    acknowledgedAt\n    resolvedAt\n  }\n"): (typeof documents)["\n  fragment AlertFields on Alert {\n    id\n    severity\n    title\n    message\n    source\n    createdAt\n    state\n    count\n    lastSeenAt\n    acknowledgedAt\n    resolvedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Alerts($filter: AlertFilter, $first: Int, $after: String) {\n    alerts(filter: $filter, first: $first, after: $after) {\n      nodes {\n        ...AlertFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Alerts($filter: AlertFilter, $first: Int, $after: String) {\n    alerts(filter: $filter, first: $first, after: $after) {\n      nodes {\n        ...AlertFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AlertRaised {\n    alertRaised {\n      ...AlertFields\n    }\n  }\n"): (typeof documents)["\n  subscription AlertRaised {\n    alertRaised {\n      ...AlertFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      ...AlertFields\n    }\n  }\n"): (typeof documents)["\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      ...AlertFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResolveAlert($id: ID!) {\n    resolveAlert(id: $id) {\n      ...AlertFields\n    }\n  }\n"): (typeof documents)["\n  mutation ResolveAlert($id: ID!) {\n    resolveAlert(id: $id) {\n      ...AlertFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PollenFilterStats($since: DateTime) {\n    pollenFilterStats {\n      since\n      records\n      bytes\n      totalRedactions\n      instances\n      redactions {\n        type\n        count\n      }\n      timeSeries(since: $since) {\n        minute\n        records\n        redactions {\n          type\n          count\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PollenFilterStats($since: DateTime) {\n    pollenFilterStats {\n      since\n      records\n      bytes\n      totalRedactions\n      instances\n      redactions {\n        type\n        count\n      }\n      timeSeries(since: $since) {\n        minute\n        records\n        redactions {\n          type\n          count\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BeeaconLogs($filter: LogFilter, $first: Int, $after: String) {\n    logs(filter: $filter, first: $first, after: $after) {\n      nodes {\n        id\n        at\n        service\n        level\n        message\n        record\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query BeeaconLogs($filter: LogFilter, $first: Int, $after: String) {\n    logs(filter: $filter, first: $first, after: $after) {\n      nodes {\n        id\n        at\n        service\n        level\n        message\n        record\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OperationFigures on OperationHealth {\n    operation\n    operationType\n    requests\n    failed\n    errorRate\n    p50Seconds\n    p99Seconds\n  }\n"): (typeof documents)["\n  fragment OperationFigures on OperationHealth {\n    operation\n    operationType\n    requests\n    failed\n    errorRate\n    p50Seconds\n    p99Seconds\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BeeaconHealthReport($input: HealthReportInput) {\n    generateHealthReport(input: $input) {\n      id\n      createdAt\n      from\n      to\n      pdfUrl\n      components {\n        name\n        kind\n        up\n        uptimePercent\n        downtimeSeconds\n        unwatchedSeconds\n        outages\n      }\n      alerts {\n        raised\n        open\n        bySeverity {\n          severity\n          count\n        }\n      }\n      operationTypes {\n        ...OperationFigures\n      }\n      operations {\n        ...OperationFigures\n      }\n      ingestion {\n        documentsReady\n        documentsFailed\n      }\n      bee {\n        answers\n        tokens\n        people\n        messages\n      }\n      pollenFilter {\n        records\n        totalRedactions\n        documentFindings\n      }\n      signIns {\n        succeeded\n        failed\n        topFailingAddresses {\n          address\n          failures\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation BeeaconHealthReport($input: HealthReportInput) {\n    generateHealthReport(input: $input) {\n      id\n      createdAt\n      from\n      to\n      pdfUrl\n      components {\n        name\n        kind\n        up\n        uptimePercent\n        downtimeSeconds\n        unwatchedSeconds\n        outages\n      }\n      alerts {\n        raised\n        open\n        bySeverity {\n          severity\n          count\n        }\n      }\n      operationTypes {\n        ...OperationFigures\n      }\n      operations {\n        ...OperationFigures\n      }\n      ingestion {\n        documentsReady\n        documentsFailed\n      }\n      bee {\n        answers\n        tokens\n        people\n        messages\n      }\n      pollenFilter {\n        records\n        totalRedactions\n        documentFindings\n      }\n      signIns {\n        succeeded\n        failed\n        topFailingAddresses {\n          address\n          failures\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BeeaconEventSummary($days: Int!) {\n    eventSummary(days: $days) {\n      since\n      counts {\n        day\n        type\n        events\n      }\n    }\n  }\n"): (typeof documents)["\n  query BeeaconEventSummary($days: Int!) {\n    eventSummary(days: $days) {\n      since\n      counts {\n        day\n        type\n        events\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BeeaconIntegrations {\n    lokiStatus {\n      configured\n      url\n      reachable\n      detail\n      backlog\n      lastPushAt\n      shipped\n      dropped\n      lastError\n    }\n    grafanaStatus {\n      configured\n      url\n      reachable\n      version\n      database\n      detail\n      dashboards {\n        uid\n        title\n        file\n        present\n      }\n    }\n    observabilityConfig {\n      key\n      value\n      secret\n    }\n    alertRules {\n      name\n      enabled\n      condition\n      severity\n      openAlerts\n    }\n  }\n"): (typeof documents)["\n  query BeeaconIntegrations {\n    lokiStatus {\n      configured\n      url\n      reachable\n      detail\n      backlog\n      lastPushAt\n      shipped\n      dropped\n      lastError\n    }\n    grafanaStatus {\n      configured\n      url\n      reachable\n      version\n      database\n      detail\n      dashboards {\n        uid\n        title\n        file\n        present\n      }\n    }\n    observabilityConfig {\n      key\n      value\n      secret\n    }\n    alertRules {\n      name\n      enabled\n      condition\n      severity\n      openAlerts\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Document($id: ID!, $after: String) {\n    document(id: $id) {\n      id\n      title\n      fileType\n      size\n      processingStatus\n      processingError\n      chunkCount\n      createdAt\n      piiFindings {\n        type\n        count\n      }\n      honeyJar {\n        id\n        name\n      }\n      chunks(first: 100, after: $after) {\n        nodes {\n          id\n          ordinal\n          text\n          headingPath\n          page\n          slide\n          sheet\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Document($id: ID!, $after: String) {\n    document(id: $id) {\n      id\n      title\n      fileType\n      size\n      processingStatus\n      processingError\n      chunkCount\n      createdAt\n      piiFindings {\n        type\n        count\n      }\n      honeyJar {\n        id\n        name\n      }\n      chunks(first: 100, after: $after) {\n        nodes {\n          id\n          ordinal\n          text\n          headingPath\n          page\n          slide\n          sheet\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JarDocumentFields on Document {\n    id\n    title\n    fileType\n    size\n    processingStatus\n    progress\n    processingError\n    chunkCount\n    createdAt\n    piiFindings {\n      type\n      count\n    }\n  }\n"): (typeof documents)["\n  fragment JarDocumentFields on Document {\n    id\n    title\n    fileType\n    size\n    processingStatus\n    progress\n    processingError\n    chunkCount\n    createdAt\n    piiFindings {\n      type\n      count\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUpload($honeyJarId: ID!, $filename: String!, $contentType: String, $size: Float) {\n    createUpload(honeyJarId: $honeyJarId, filename: $filename, contentType: $contentType, size: $size) {\n      uploadUrl\n      maxBytes\n      limit\n      reviewRequired\n    }\n  }\n"): (typeof documents)["\n  mutation CreateUpload($honeyJarId: ID!, $filename: String!, $contentType: String, $size: Float) {\n    createUpload(honeyJarId: $honeyJarId, filename: $filename, contentType: $contentType, size: $size) {\n      uploadUrl\n      maxBytes\n      limit\n      reviewRequired\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DocumentStatusChanged($honeyJarId: ID!) {\n    documentStatusChanged(honeyJarId: $honeyJarId) {\n      ...JarDocumentFields\n    }\n  }\n"): (typeof documents)["\n  subscription DocumentStatusChanged($honeyJarId: ID!) {\n    documentStatusChanged(honeyJarId: $honeyJarId) {\n      ...JarDocumentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReprocessDocument($id: ID!) {\n    reprocessDocument(id: $id) {\n      ...JarDocumentFields\n    }\n  }\n"): (typeof documents)["\n  mutation ReprocessDocument($id: ID!) {\n    reprocessDocument(id: $id) {\n      ...JarDocumentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteDocument($id: ID!) {\n    deleteDocument(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteDocument($id: ID!) {\n    deleteDocument(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApproveDocument($id: ID!) {\n    approveDocument(id: $id) {\n      ...JarDocumentFields\n    }\n  }\n"): (typeof documents)["\n  mutation ApproveDocument($id: ID!) {\n    approveDocument(id: $id) {\n      ...JarDocumentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RejectDocument($id: ID!) {\n    rejectDocument(id: $id)\n  }\n"): (typeof documents)["\n  mutation RejectDocument($id: ID!) {\n    rejectDocument(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReviewProposalFields on Document {\n    id\n    title\n    fileType\n    size\n    createdAt\n    honeyJar {\n      id\n      name\n    }\n    uploadedBy {\n      id\n      displayName\n    }\n  }\n"): (typeof documents)["\n  fragment ReviewProposalFields on Document {\n    id\n    title\n    fileType\n    size\n    createdAt\n    honeyJar {\n      id\n      name\n    }\n    uploadedBy {\n      id\n      displayName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DocumentReviewQueue($after: String) {\n    documentReviewQueue(first: 50, after: $after) {\n      nodes {\n        ...ReviewProposalFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n"): (typeof documents)["\n  query DocumentReviewQueue($after: String) {\n    documentReviewQueue(first: 50, after: $after) {\n      nodes {\n        ...ReviewProposalFields\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HoneyJars($first: Int, $after: String, $filter: HoneyJarFilter) {\n    honeyJars(first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        name\n        description\n        type\n        status\n        tags\n        createdAt\n        documentCount\n        owner {\n          id\n          displayName\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query HoneyJars($first: Int, $after: String, $filter: HoneyJarFilter) {\n    honeyJars(first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        name\n        description\n        type\n        status\n        tags\n        createdAt\n        documentCount\n        owner {\n          id\n          displayName\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HoneyJar($id: ID!, $first: Int, $after: String) {\n    honeyJar(id: $id) {\n      id\n      name\n      description\n      type\n      status\n      tags\n      createdAt\n      updatedAt\n      owner {\n        id\n        displayName\n      }\n      documents(first: $first, after: $after) {\n        nodes {\n          ...JarDocumentFields\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        totalCount\n      }\n    }\n  }\n"): (typeof documents)["\n  query HoneyJar($id: ID!, $first: Int, $after: String) {\n    honeyJar(id: $id) {\n      id\n      name\n      description\n      type\n      status\n      tags\n      createdAt\n      updatedAt\n      owner {\n        id\n        displayName\n      }\n      documents(first: $first, after: $after) {\n        nodes {\n          ...JarDocumentFields\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        totalCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateHoneyJar($input: CreateHoneyJarInput!) {\n    createHoneyJar(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CreateHoneyJar($input: CreateHoneyJarInput!) {\n    createHoneyJar(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateHoneyJar($id: ID!, $input: UpdateHoneyJarInput!) {\n    updateHoneyJar(id: $id, input: $input) {\n      id\n      name\n      description\n      type\n      status\n      tags\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateHoneyJar($id: ID!, $input: UpdateHoneyJarInput!) {\n    updateHoneyJar(id: $id, input: $input) {\n      id\n      name\n      description\n      type\n      status\n      tags\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteHoneyJar($id: ID!) {\n    deleteHoneyJar(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteHoneyJar($id: ID!) {\n    deleteHoneyJar(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JarMemberPage on HoneyJarMemberConnection {\n    nodes {\n      id\n      displayName\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n"): (typeof documents)["\n  fragment JarMemberPage on HoneyJarMemberConnection {\n    nodes {\n      id\n      displayName\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JarMembersFields on HoneyJar {\n    id\n    members(first: 100) {\n      ...JarMemberPage\n    }\n  }\n"): (typeof documents)["\n  fragment JarMembersFields on HoneyJar {\n    id\n    members(first: 100) {\n      ...JarMemberPage\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HoneyJarMembers($id: ID!, $after: String) {\n    honeyJar(id: $id) {\n      id\n      members(first: 100, after: $after) {\n        ...JarMemberPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query HoneyJarMembers($id: ID!, $after: String) {\n    honeyJar(id: $id) {\n      id\n      members(first: 100, after: $after) {\n        ...JarMemberPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddHoneyJarMember($honeyJarId: ID!, $userId: ID!) {\n    addHoneyJarMember(honeyJarId: $honeyJarId, userId: $userId) {\n      ...JarMembersFields\n    }\n  }\n"): (typeof documents)["\n  mutation AddHoneyJarMember($honeyJarId: ID!, $userId: ID!) {\n    addHoneyJarMember(honeyJarId: $honeyJarId, userId: $userId) {\n      ...JarMembersFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveHoneyJarMember($honeyJarId: ID!, $userId: ID!) {\n    removeHoneyJarMember(honeyJarId: $honeyJarId, userId: $userId) {\n      ...JarMembersFields\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveHoneyJarMember($honeyJarId: ID!, $userId: ID!) {\n    removeHoneyJarMember(honeyJarId: $honeyJarId, userId: $userId) {\n      ...JarMembersFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchPeople($query: String!, $first: Int) {\n    searchPeople(query: $query, first: $first) {\n      id\n      displayName\n      email\n    }\n  }\n"): (typeof documents)["\n  query SearchPeople($query: String!, $first: Int) {\n    searchPeople(query: $query, first: $first) {\n      id\n      displayName\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Search($query: String!, $honeyJarIds: [ID!], $first: Int) {\n    search(query: $query, honeyJarIds: $honeyJarIds, first: $first) {\n      score\n      text\n      highlights\n      page\n      headingPath\n      chunkId\n      document {\n        id\n        title\n        fileType\n      }\n      honeyJar {\n        id\n        name\n      }\n    }\n    searchCorrection(query: $query, honeyJarIds: $honeyJarIds) {\n      query\n      words {\n        searched\n      }\n    }\n  }\n"): (typeof documents)["\n  query Search($query: String!, $honeyJarIds: [ID!], $first: Int) {\n    search(query: $query, honeyJarIds: $honeyJarIds, first: $first) {\n      score\n      text\n      highlights\n      page\n      headingPath\n      chunkId\n      document {\n        id\n        title\n        fileType\n      }\n      honeyJar {\n        id\n        name\n      }\n    }\n    searchCorrection(query: $query, honeyJarIds: $honeyJarIds) {\n      query\n      words {\n        searched\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JarChoices($first: Int, $after: String, $filter: HoneyJarFilter) {\n    honeyJars(first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        name\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query JarChoices($first: Int, $after: String, $filter: HoneyJarFilter) {\n    honeyJars(first: $first, after: $after, filter: $filter) {\n      nodes {\n        id\n        name\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;