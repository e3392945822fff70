/** A Kafka error for one topic of a request: data in the response, never a thrown error. */
export interface TopicFailure {
  readonly errorCode: number;
  readonly message: string;
}

export function topicFailure(errorCode: number, message: string): TopicFailure {
  return { errorCode, message };
}
