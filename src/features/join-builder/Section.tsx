/** One titled section of the join builder. */
import * as React from 'react';

export function Section(props: {
  title: string;
  children: React.ReactNode;
  testid?: string;
}): JSX.Element {
  return (
    <section className="mlwb-JoinBuilder-section" data-testid={props.testid}>
      <h3 className="mlwb-JoinBuilder-heading">{props.title}</h3>
      {props.children}
    </section>
  );
}
