// Keeps one failing panel from taking the page down: it shows what went wrong in place of the panel.
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

export class PanelBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('panel failed', error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <p className="error" role="alert">
          This panel failed: {this.state.error.message}
        </p>
      );
    }
    return this.props.children;
  }
}
